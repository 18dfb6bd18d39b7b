import * as z from 'zod/mini';
import {
  type PhotoIdSettings,
  resolvePhotoIdSettings,
} from '../domain/identity/photo-id/photo-id-settings.ts';
import { type Limits, resolveLimits } from '../domain/limits/limits.ts';
import { clientAddressSources } from './http/client-ip.ts';

/**
 * Every environment variable the functions read, by name, in one place: the CDK stack sets
 * them from here and each function's composition root reads the ones it uses through `loadConfig`.
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
  pdsSigningKeyId: 'PDS_SIGNING_KEY_ID',
  pdsBaseUrl: 'PDS_BASE_URL',
  pdsTokenUrl: 'PDS_TOKEN_URL',
  pdsApiKey: 'PDS_API_KEY',
  gpCredentialsKeyId: 'GP_CREDENTIALS_KEY_ID',
  gpBaseUrl: 'GP_BASE_URL',
  gpApiKey: 'GP_API_KEY',
  mediaBucket: 'MEDIA_BUCKET',
  photoIdStateMachineArn: 'PHOTO_ID_STATE_MACHINE_ARN',
  photoId: 'PHOTO_ID',
  staffSecretsKeyId: 'STAFF_SECRETS_KEY_ID',
  appSecretsKeyId: 'APP_SECRETS_KEY_ID',
} as const;

/** The issuer of a deployed function: an absolute https URL without a trailing slash (as NHS login's is). */
export const issuerSchema = z.url({ protocol: /^https$/, error: 'must be an https URL' }).check(
  z.refine((value) => !value.endsWith('/'), 'must not end with a slash'),
  z.refine((value) => {
    const url = URL.parse(value);
    return url === null || (url.search === '' && url.hash === '');
  }, 'must have no query or fragment'),
);

export const logLevelSchema = z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']);
export type LogLevel = z.infer<typeof logLevelSchema>;

/**
 * What patients see the service called, in pages, emails and texts, and as the display name of
 * the email From header: plain characters only, so it needs no MIME encoding there and stays in
 * a text message's GSM 7-bit alphabet.
 */
export const serviceNameSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9 '.,&()-]{1,40}$/, "must be 1 to 40 letters, digits, spaces or ' . , & ( ) -"));

/** An alphanumeric SMS sender ID: 3 to 11 letters and digits, at least one a letter (no spaces). */
export const smsSenderIdSchema = z
  .string()
  .check(
    z.regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/, 'must be 3 to 11 letters and digits, at least one a letter'),
  );

/** A comma-separated list of at least one item, trimmed. */
export const commaList = z.pipe(
  z.string(),
  z.transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
);
const atLeastOne = z.array(z.string()).check(z.minLength(1));

/** A setting holding a JSON object, read by `resolve` (which throws with the problem it finds). */
const jsonObjectSetting = <T>(resolve: (value: unknown) => T) =>
  z.pipe(
    z.string(),
    z.transform((value, context): T => {
      try {
        return resolve(JSON.parse(value));
      } catch (error) {
        context.issues.push({
          code: 'custom',
          input: value,
          message: error instanceof SyntaxError ? 'must be a JSON object' : (error as Error).message,
        });
        return z.NEVER;
      }
    }),
  );

/** A JSON object of limit overrides (`{"securityCodeAttempts": 3}`), checked by `resolveLimits`. */
export const limitsJsonSchema = jsonObjectSetting<Limits>(resolveLimits);

/** A JSON object of photo-ID check overrides (staffed hours, escalation, retention), checked. */
export const photoIdJsonSchema = jsonObjectSetting<PhotoIdSettings>(resolvePhotoIdSettings);

/** One environment variable: its name and how its value is read (from a string, or its absence). */
export interface Setting<Schema extends z.ZodMiniType = z.ZodMiniType> {
  readonly variable: string;
  readonly schema: Schema;
}

const setting = <Schema extends z.ZodMiniType<unknown, string | undefined>>(
  variable: string,
  schema: Schema,
): Setting<Schema> => ({ variable, schema });

/**
 * Every setting but the phone countries (`phone-config.ts`: their check needs the phone number
 * metadata, which only the functions that text carry). A composition root picks the ones it uses.
 */
export const settings = {
  stage: setting(configNames.stage, z.string().check(z.minLength(1))),
  issuer: setting(configNames.issuer, issuerSchema),
  tableName: setting(configNames.tableName, z.string().check(z.minLength(1))),
  signingKeyIds: setting(configNames.signingKeyIds, z.pipe(commaList, atLeastOne)),
  activeSigningKeyId: setting(configNames.activeSigningKeyId, z.string().check(z.minLength(1))),
  logLevel: setting(configNames.logLevel, z._default(logLevelSchema, 'INFO')),
  serviceName: setting(configNames.serviceName, z._default(serviceNameSchema, 'NHS login')),
  /** The bare address (`no-reply@login.example.org`), a verified SES identity or in a verified domain. */
  emailFromAddress: setting(configNames.emailFromAddress, z.email()),
  sesConfigurationSet: setting(
    configNames.sesConfigurationSet,
    z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or -'))),
  ),
  smsSenderId: setting(configNames.smsSenderId, z.optional(smsSenderIdSchema)),
  /** Where patients can get help; `<issuer>/contact` when not set. */
  contactUrl: setting(
    configNames.contactUrl,
    z.optional(z.url({ protocol: /^https$/, error: 'must be an https URL' })),
  ),
  /** The defaults with the stage's overrides applied. */
  limits: setting(
    configNames.limits,
    z._default(limitsJsonSchema, () => resolveLimits()),
  ),
  /** Only once CloudFront is in front, and the API reachable through it alone: else the header is the client's. */
  clientAddressSource: setting(
    configNames.clientAddressSource,
    z._default(z.enum(clientAddressSources), 'connection'),
  ),
  /** The KMS key the PDS client signs its token requests with: PDS's own, never a token-signing key. */
  pdsSigningKeyId: setting(configNames.pdsSigningKeyId, z.string().check(z.minLength(1))),
  /** The PDS FHIR R4 base (ending /FHIR/R4); without it the details check says PDS cannot be reached. */
  pdsBaseUrl: setting(
    configNames.pdsBaseUrl,
    z.optional(
      z
        .url({ protocol: /^https$/, error: 'must be an https URL' })
        .check(z.refine((value) => !value.endsWith('/'), 'must not end with a slash')),
    ),
  ),
  /** Where a signed JWT is exchanged for a PDS access token (application-restricted access). */
  pdsTokenUrl: setting(
    configNames.pdsTokenUrl,
    z.optional(z.url({ protocol: /^https$/, error: 'must be an https URL' })),
  ),
  /** The application's API key with NHS England (`iss` and `sub` of the signed JWT). */
  pdsApiKey: setting(configNames.pdsApiKey, z.optional(z.string().check(z.minLength(1)))),
  /** The symmetric KMS key GP integration credentials are sealed with: identity pages encrypt, userinfo decrypts. */
  gpCredentialsKeyId: setting(configNames.gpCredentialsKeyId, z.string().check(z.minLength(1))),
  /** The GP linkage broker's base URL (docs/gp-online-services.md); without it GP details get CID7023. */
  gpBaseUrl: setting(
    configNames.gpBaseUrl,
    z.optional(
      z
        .url({ protocol: /^https$/, error: 'must be an https URL' })
        .check(z.refine((value) => !value.endsWith('/'), 'must not end with a slash')),
    ),
  ),
  /** The API key the broker issued the service, sent as `x-api-key`. */
  gpApiKey: setting(configNames.gpApiKey, z.optional(z.string().check(z.minLength(1)))),
  /** The private bucket photo-ID media is uploaded to (presigned POSTs) and read and deleted from. */
  mediaBucket: setting(configNames.mediaBucket, z.string().check(z.minLength(3))),
  /** The photo-ID check's state machine, which a submission starts. */
  photoIdStateMachineArn: setting(
    configNames.photoIdStateMachineArn,
    z.string().check(z.regex(/^arn:aws[a-z-]*:states:/, 'must be a Step Functions state machine ARN')),
  ),
  /** Staffed hours, escalation and media retention of photo-ID checks (docs/workflows.md); defaults unless set. */
  photoId: setting(
    configNames.photoId,
    z._default(photoIdJsonSchema, () => resolvePhotoIdSettings()),
  ),
  /** The symmetric KMS key staff authenticator secrets are sealed with: the review console decrypts. */
  staffSecretsKeyId: setting(configNames.staffSecretsKeyId, z.string().check(z.minLength(1))),
  /** The symmetric KMS key patients' authenticator-app secrets are sealed with: settings encrypts, the code pages decrypt. */
  appSecretsKeyId: setting(configNames.appSecretsKeyId, z.string().check(z.minLength(1))),
} as const;

/** The configuration the chosen settings make: each setting's value, by its key. */
export type ConfigOf<S extends Record<string, Setting>> = {
  readonly [Key in keyof S]: z.output<S[Key]['schema']>;
};

/** The environment the chosen settings read, by setting key: a string, or undefined where it may be absent. */
export type EnvironmentOf<S extends Record<string, Setting>> = {
  readonly [Key in keyof S]: z.input<S[Key]['schema']>;
};

/**
 * Reads and checks the chosen settings once, at cold start: a function's configuration holds only
 * what it uses. Throws, naming every variable that is wrong.
 */
export const loadConfig = <S extends Record<string, Setting>>(
  env: Record<string, string | undefined>,
  chosen: S,
): ConfigOf<S> => {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, { variable, schema }] of Object.entries(chosen)) {
    const result = schema.safeParse(env[variable]);
    if (result.success) config[key] = result.data;
    else problems.push(...result.error.issues.map((issue) => `${variable}: ${issue.message}`));
  }
  const { signingKeyIds, activeSigningKeyId } = config as {
    signingKeyIds?: string[];
    activeSigningKeyId?: string;
  };
  if (signingKeyIds && activeSigningKeyId && !signingKeyIds.includes(activeSigningKeyId))
    problems.push(
      `${configNames.activeSigningKeyId}: the active signing key must be one of the published signing keys`,
    );
  if (problems.length > 0) throw new Error(`Invalid function configuration: ${problems.join('; ')}`);
  return config as ConfigOf<S>;
};
