import { createDocumentClient } from '../../src/adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../../src/adapters/dynamodb/dynamo-table.ts';
import { kmsTokenSigner } from '../../src/adapters/kms/kms-token-signer.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createOidcServices } from '../../src/wiring/oidc-services.ts';
import type { OidcTokenDependencies } from './handler.ts';

const { issuer, logLevel, tableName, signingKeyIds, activeSigningKeyId, limits } = settings;

/** The token function's composition root: the table and the only signer that may sign. */
export const dependencies = (env: Record<string, string | undefined>): OidcTokenDependencies => {
  const config = loadConfig(env, { issuer, logLevel, tableName, signingKeyIds, activeSigningKeyId, limits });
  const clock = systemClock;
  return {
    ...createOidcServices({
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
  };
};
