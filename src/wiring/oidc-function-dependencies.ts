import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { kmsTokenSigner } from '../adapters/kms/kms-token-signer.ts';
import { systemClock } from '../domain/clock.ts';
import { loadConfig, settings } from '../platform/config.ts';
import { createLambdaMetrics } from '../platform/lambda-metrics.ts';
import { createLogger } from '../platform/logger.ts';
import { createOidcServices } from './oidc-services.ts';

const { issuer, logLevel, tableName, signingKeyIds, activeSigningKeyId, limits } = settings;

/**
 * The composition root the token and UserInfo functions share: the table and the signing keys
 * (their permissions differ: only the token function's role may sign with them).
 */
export const oidcFunctionDependencies = (env: Record<string, string | undefined>) => {
  const config = loadConfig(env, { issuer, logLevel, tableName, signingKeyIds, activeSigningKeyId, limits });
  const clock = systemClock;
  const metrics = createLambdaMetrics();
  return {
    ...createOidcServices({
      metrics,
      table: new DynamoTable({ client: createDocumentClient(), tableName: config.tableName, clock }),
      signer: kmsTokenSigner({
        activeKeyId: config.activeSigningKeyId,
        publishedKeyIds: config.signingKeyIds,
      }),
      clock,
      limits: config.limits,
      issuer: config.issuer,
    }),
    logger: createLogger(config.logLevel),
    metrics,
  };
};
