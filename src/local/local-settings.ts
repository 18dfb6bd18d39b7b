import { resolve } from 'node:path';
import * as z from 'zod/mini';
import {
  type PhotoIdSettings,
  resolvePhotoIdSettings,
} from '../domain/identity/photo-id/photo-id-settings.ts';
import { type Limits, resolveLimits } from '../domain/limits/limits.ts';
import {
  type LogLevel,
  limitsJsonSchema,
  logLevelSchema,
  photoIdJsonSchema,
  serviceNameSchema,
} from '../platform/config.ts';
import { phoneCountriesSchema } from '../platform/phone-config.ts';

const port = (min: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(65535));

/** The local stack's settings: every one optional, with the defaults `npm start` runs on. */
const localSettingsSchema = z.object({
  PORT: z._default(port(0), 3000),
  HOST: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
  DEMO_RP_PORT: z._default(port(1), 3001),
  // The review console for ops staff: a port (an origin) of its own, never under the patients' pages.
  CONSOLE_PORT: z._default(port(0), 3002),
  DYNAMODB_PORT: z._default(port(1), 8000),
  // A DynamoDB already running (another DynamoDB Local, a shared one, a proxy in front of one).
  DYNAMODB_ENDPOINT: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), '.data'),
  TABLE_NAME: z._default(z.string().check(z.minLength(1)), 'patient-login'),
  LOG_LEVEL: z._default(logLevelSchema, 'INFO'),
  SERVICE_NAME: z._default(serviceNameSchema, 'NHS login'),
  // The same names and checks as a deployed function's, so a stage's settings can be tried locally.
  ALLOWED_PHONE_COUNTRIES: z._default(phoneCountriesSchema, ['GB']),
  LIMITS: z.optional(limitsJsonSchema),
  // The support team's contact route; http too, so a local stand-in can be tried.
  CONTACT_URL: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })),
  // Any PDS FHIR R4 endpoint (its base, ending /FHIR/R4); the local PDS sandbox unless set.
  PDS_BASE_URL: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })),
  // Where a signed JWT is exchanged for a PDS access token; none (an open-access sandbox) unless set with PDS_BASE_URL.
  PDS_TOKEN_URL: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })),
  PDS_API_KEY: z._default(z.string().check(z.minLength(1)), 'local-sandbox'),
  // A GP linkage broker (docs/gp-online-services.md) to use instead of the local GP sandbox, and its API key.
  GP_BASE_URL: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })),
  GP_API_KEY: z.optional(z.string().check(z.minLength(1))),
  // The photo-ID check's staffed hours, escalation and media retention (docs/workflows.md), as in a stage.
  PHOTO_ID: z.optional(photoIdJsonSchema),
});

export interface LocalSettings {
  readonly port: number;
  readonly host: string;
  readonly demoRelyingPartyPort: number;
  /** The review console's port (0: any free one). */
  readonly consolePort: number;
  readonly dynamoDbPort: number;
  /** A DynamoDB that is already running, used instead of starting DynamoDB Local on `dynamoDbPort`. */
  readonly dynamoDbEndpoint: string | undefined;
  /** Absolute. */
  readonly dataDirectory: string;
  readonly tableName: string;
  readonly logLevel: LogLevel;
  /** What patients see the service called. */
  readonly serviceName: string;
  /** ISO 3166-1 alpha-2 codes of the countries whose mobile numbers may receive security codes. */
  readonly allowedPhoneCountries: readonly string[];
  /** The defaults with any `LIMITS` overrides applied. */
  readonly limits: Limits;
  /** The support team's contact route, offered on the help page and linked from emails. */
  readonly contactUrl: string | undefined;
  /** A PDS FHIR endpoint to use instead of the local sandbox, and its token URL if it needs one. */
  readonly pds: { readonly baseUrl?: string; readonly tokenUrl?: string; readonly apiKey: string };
  /** A GP linkage broker to use instead of the local GP sandbox. */
  readonly gp: { readonly baseUrl?: string; readonly apiKey?: string };
  readonly photoId: PhotoIdSettings;
}

/** Reads and validates the local settings once, in a composition root (`npm start`, `npm run client`). */
export const readLocalSettings = (env: Record<string, string | undefined>): LocalSettings => {
  const result = localSettingsSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid local settings: ${problems.join('; ')}`);
  }
  const settings = result.data;
  return {
    port: settings.PORT,
    host: settings.HOST,
    demoRelyingPartyPort: settings.DEMO_RP_PORT,
    consolePort: settings.CONSOLE_PORT,
    dynamoDbPort: settings.DYNAMODB_PORT,
    dynamoDbEndpoint: settings.DYNAMODB_ENDPOINT?.replace(/\/$/, ''),
    dataDirectory: resolve(settings.DATA_DIR),
    tableName: settings.TABLE_NAME,
    logLevel: settings.LOG_LEVEL,
    serviceName: settings.SERVICE_NAME,
    allowedPhoneCountries: settings.ALLOWED_PHONE_COUNTRIES,
    limits: settings.LIMITS ?? resolveLimits(),
    photoId: settings.PHOTO_ID ?? resolvePhotoIdSettings(),
    contactUrl: settings.CONTACT_URL,
    pds: {
      ...(settings.PDS_BASE_URL ? { baseUrl: settings.PDS_BASE_URL.replace(/\/$/, '') } : {}),
      ...(settings.PDS_TOKEN_URL ? { tokenUrl: settings.PDS_TOKEN_URL } : {}),
      apiKey: settings.PDS_API_KEY,
    },
    gp: {
      ...(settings.GP_BASE_URL ? { baseUrl: settings.GP_BASE_URL.replace(/\/$/, '') } : {}),
      ...(settings.GP_API_KEY ? { apiKey: settings.GP_API_KEY } : {}),
    },
  };
};
