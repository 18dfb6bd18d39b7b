import { z } from 'zod';

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
} as const;

/** The issuer is an absolute URL without a trailing slash (as NHS login's is). */
export const issuerSchema = z
  .url({ protocol: /^https?$/ })
  .refine((value) => !value.endsWith('/'), 'must not end with a slash')
  .refine((value) => {
    const url = URL.parse(value);
    return url === null || (url.search === '' && url.hash === '');
  }, 'must have no query or fragment');

export const logLevelSchema = z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']);

const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));

const functionEnvSchema = z
  .object({
    [configNames.stage]: z.string().min(1),
    [configNames.issuer]: issuerSchema,
    [configNames.tableName]: z.string().min(1),
    [configNames.signingKeyIds]: commaList,
    [configNames.activeSigningKeyId]: z.string().min(1),
    [configNames.logLevel]: logLevelSchema.default('INFO'),
  })
  .refine((env) => env.SIGNING_KEY_IDS.includes(env.ACTIVE_SIGNING_KEY_ID), {
    message: 'the active signing key must be one of the published signing keys',
    path: [configNames.activeSigningKeyId],
  });

/** The configuration of a deployed function, validated once at cold start. */
export interface FunctionConfig {
  readonly stage: string;
  readonly issuer: string;
  readonly tableName: string;
  readonly signingKeyIds: readonly string[];
  readonly activeSigningKeyId: string;
  readonly logLevel: z.infer<typeof logLevelSchema>;
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
  };
};
