import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { type Limits, resolveLimits } from '../domain/limits/limits.ts';
import { type ClientAddressSource, clientAddressSources } from './http/client-ip.ts';

/**
 * Every environment variable the functions read, by name, in one place: the CDK stack sets
 * them from here and the Lambda composition root reads them through `loadFunctionConfig`.
 */
export const configNames = {
  stage: 'STAGE',
  issuer: 'ISSUER',
  tableName: 'TABLE_NAME',
  signingKeyIds: 'SIGNING_KEY_IDS',
  activeSigningKeyId: 'ACTIVE_SIGNING_KEY_ID',
  logLevel: 'LOG_LEVEL',
  serviceName: 'SERVICE_NAME',
  emailFromAddress: 'EMAIL_FROM_ADDRESS',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  smsSenderId: 'SMS_SENDER_ID',
  contactUrl: 'CONTACT_URL',
  allowedPhoneCountries: 'ALLOWED_PHONE_COUNTRIES',
  limits: 'LIMITS',
  clientAddressSource: 'CLIENT_ADDRESS_SOURCE',
} as const;

/**
 * Where the files a function reads at run time sit in its bundle, relative to `index.mjs`: the
 * stack copies them there (for the functions whose spec lists them in `bundledFiles`) and the
 * Lambda composition root reads them from there.
 */
export const bundleLayout = {
  /** Our Nunjucks views (`src/web/views`). */
  views: 'views',
  /** The folder holding nhsuk-frontend's `nhsuk/` (a copy of its `dist/nhsuk`): the templates' second root. */
  nhsukFrontend: 'nhsuk-frontend',
  /** Our own client files (`src/web/assets`). */
  ownAssets: 'assets',
  /** The common-password list (`src/domain/credentials/common-passwords.txt`). */
  commonPasswords: 'common-passwords.txt',
} as const;

/** The issuer of a deployed function: an absolute https URL without a trailing slash (as NHS login's is). */
export const issuerSchema = z
  .url({ protocol: /^https$/, error: 'must be an https URL' })
  .refine((value) => !value.endsWith('/'), 'must not end with a slash')
  .refine((value) => {
    const url = URL.parse(value);
    return url === null || (url.search === '' && url.hash === '');
  }, 'must have no query or fragment');

export const logLevelSchema = z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']);

/**
 * What patients see the service called, in pages, emails and texts, and as the display name of
 * the email From header: plain characters only, so it needs no MIME encoding there and stays in
 * a text message's GSM 7-bit alphabet.
 */
export const serviceNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9 '.,&()-]{1,40}$/, "must be 1 to 40 letters, digits, spaces or ' . , & ( ) -");

/** An alphanumeric SMS sender ID: 3 to 11 letters and digits, at least one a letter (no spaces). */
export const smsSenderIdSchema = z
  .string()
  .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/, 'must be 3 to 11 letters and digits, at least one a letter');

const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));

/** ISO 3166-1 alpha-2 codes of the countries whose mobile numbers may receive security codes. */
export const phoneCountriesSchema = commaList.pipe(
  z.array(
    z
      .string()
      .refine(
        (code) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code),
        'must be ISO 3166-1 alpha-2 country codes with phone numbering, like GB',
      ),
  ),
);

/** A JSON object of limit overrides (`{"securityCodeAttempts": 3}`), checked by `resolveLimits`. */
export const limitsJsonSchema = z.string().transform((value, context): Limits => {
  try {
    return resolveLimits(JSON.parse(value));
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: error instanceof SyntaxError ? 'must be a JSON object' : (error as Error).message,
    });
    return z.NEVER;
  }
});

const functionEnvSchema = z
  .object({
    [configNames.stage]: z.string().min(1),
    [configNames.issuer]: issuerSchema,
    [configNames.tableName]: z.string().min(1),
    [configNames.signingKeyIds]: commaList,
    [configNames.activeSigningKeyId]: z.string().min(1),
    [configNames.logLevel]: logLevelSchema.default('INFO'),
    [configNames.serviceName]: serviceNameSchema.default('NHS login'),
    [configNames.emailFromAddress]: z.email(),
    [configNames.sesConfigurationSet]: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or -')
      .optional(),
    [configNames.smsSenderId]: smsSenderIdSchema.optional(),
    [configNames.contactUrl]: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
    [configNames.allowedPhoneCountries]: phoneCountriesSchema.default(['GB']),
    [configNames.limits]: limitsJsonSchema.optional(),
    // Only once CloudFront is in front, and the API reachable through it alone: else the header is the client's.
    [configNames.clientAddressSource]: z.enum(clientAddressSources).default('connection'),
  })
  .refine((env) => env.SIGNING_KEY_IDS.includes(env.ACTIVE_SIGNING_KEY_ID), {
    message: 'the active signing key must be one of the published signing keys',
    path: [configNames.activeSigningKeyId],
  });

/** The environment variables as the stack sets them: each a string, the optional ones absent. */
export type FunctionEnvironment = z.input<typeof functionEnvSchema>;

/** The configuration of a deployed function, validated once at cold start. */
export interface FunctionConfig {
  readonly stage: string;
  readonly issuer: string;
  readonly tableName: string;
  readonly signingKeyIds: readonly string[];
  readonly activeSigningKeyId: string;
  readonly logLevel: z.infer<typeof logLevelSchema>;
  readonly serviceName: string;
  /** The bare address (`no-reply@login.example.org`), a verified SES identity or in a verified domain. */
  readonly emailFromAddress: string;
  readonly sesConfigurationSet: string | undefined;
  readonly smsSenderId: string | undefined;
  /** Where patients can get help; `<issuer>/contact` unless set. */
  readonly contactUrl: string;
  readonly allowedPhoneCountries: readonly string[];
  /** The defaults with the stage's overrides applied. */
  readonly limits: Limits;
  /** Where the patient's address, for audit events and per-IP limits, is read from. */
  readonly clientAddressSource: ClientAddressSource;
}

export const loadFunctionConfig = (env: Record<string, string | undefined>): FunctionConfig => {
  const result = functionEnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid function configuration: ${problems.join('; ')}`);
  }
  const parsed = result.data;
  return {
    stage: parsed.STAGE,
    issuer: parsed.ISSUER,
    tableName: parsed.TABLE_NAME,
    signingKeyIds: parsed.SIGNING_KEY_IDS,
    activeSigningKeyId: parsed.ACTIVE_SIGNING_KEY_ID,
    logLevel: parsed.LOG_LEVEL,
    serviceName: parsed.SERVICE_NAME,
    emailFromAddress: parsed.EMAIL_FROM_ADDRESS,
    sesConfigurationSet: parsed.SES_CONFIGURATION_SET,
    smsSenderId: parsed.SMS_SENDER_ID,
    contactUrl: parsed.CONTACT_URL ?? `${parsed.ISSUER}/contact`,
    allowedPhoneCountries: parsed.ALLOWED_PHONE_COUNTRIES,
    limits: parsed.LIMITS ?? resolveLimits(),
    clientAddressSource: parsed.CLIENT_ADDRESS_SOURCE,
  };
};
