import { resolve } from 'node:path';
import { z } from 'zod';
import { type Limits, resolveLimits } from '../domain/limits/limits.ts';
import {
  limitsJsonSchema,
  logLevelSchema,
  phoneCountriesSchema,
  serviceNameSchema,
} from '../platform/config.ts';

/** The local stack's settings: every one optional, with the defaults `npm start` runs on. */
const localSettingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DEMO_RP_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  DYNAMODB_PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  DATA_DIR: z.string().min(1).default('.data'),
  TABLE_NAME: z.string().min(1).default('patient-login'),
  LOG_LEVEL: logLevelSchema.default('INFO'),
  SERVICE_NAME: serviceNameSchema.default('NHS login'),
  // The same names and checks as a deployed function's, so a stage's settings can be tried locally.
  ALLOWED_PHONE_COUNTRIES: phoneCountriesSchema.default(['GB']),
  LIMITS: limitsJsonSchema.optional(),
});

export interface LocalSettings {
  readonly port: number;
  readonly host: string;
  readonly demoRelyingPartyPort: number;
  readonly dynamoDbPort: number;
  /** Absolute. */
  readonly dataDirectory: string;
  readonly tableName: string;
  readonly logLevel: z.infer<typeof logLevelSchema>;
  /** What patients see the service called. */
  readonly serviceName: string;
  /** ISO 3166-1 alpha-2 codes of the countries whose mobile numbers may receive security codes. */
  readonly allowedPhoneCountries: readonly string[];
  /** The defaults with any `LIMITS` overrides applied. */
  readonly limits: Limits;
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
    dynamoDbPort: settings.DYNAMODB_PORT,
    dataDirectory: resolve(settings.DATA_DIR),
    tableName: settings.TABLE_NAME,
    logLevel: settings.LOG_LEVEL,
    serviceName: settings.SERVICE_NAME,
    allowedPhoneCountries: settings.ALLOWED_PHONE_COUNTRIES,
    limits: settings.LIMITS ?? resolveLimits(),
  };
};
