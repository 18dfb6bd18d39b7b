import { resolve } from 'node:path';
import { z } from 'zod';
import { logLevelSchema } from '../platform/config.ts';
import { JavaRequiredError } from './dynamodb-local.ts';
import { startLocalStack } from './local-stack.ts';

/** `npm start`: the local composition root. Every setting has a default, so no configuration is needed. */
const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DEMO_RP_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  DYNAMODB_PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  DATA_DIR: z.string().default('.data'),
  TABLE_NAME: z.string().min(1).default('patient-login'),
  LOG_LEVEL: logLevelSchema.default('INFO'),
});

const main = async () => {
  const env = settingsSchema.parse(process.env);
  const dataDirectory = resolve(env.DATA_DIR);
  const stack = await startLocalStack({
    port: env.PORT,
    host: env.HOST,
    demoRelyingPartyPort: env.DEMO_RP_PORT,
    dynamoDbPort: env.DYNAMODB_PORT,
    dataDirectory,
    tableName: env.TABLE_NAME,
    logLevel: env.LOG_LEVEL,
  });
  const lines = [
    'patient-login is running locally.',
    `  Issuer:          ${stack.issuer}`,
    `  Discovery:       ${stack.issuer}/.well-known/openid-configuration`,
    `  JWKS:            ${stack.issuer}/.well-known/jwks.json`,
    `  DynamoDB Local:  ${stack.dynamoDbEndpoint} (table ${env.TABLE_NAME}, data in ${env.DATA_DIR})`,
    `  Demo client_id:  ${stack.demoClient.clientId}${stack.demoClient.created ? ' (registered now)' : ''}, private key in ${stack.demoClient.privateKeyPath}`,
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
};

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof JavaRequiredError
      ? `${error.message}\n`
      : `The local stack could not start: ${String(error)}\n`,
  );
  process.exit(1);
});
