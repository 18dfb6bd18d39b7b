import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { systemClock } from '../domain/clock.ts';
import type { JsonWebKeySet, TokenSigner } from '../domain/tokens/token-signer.ts';
import { bundleLayout, inBundlePath } from '../platform/bundle-files.ts';
import type { ConfigOf, settings } from '../platform/config.ts';
import { createLambdaMetrics } from '../platform/lambda-metrics.ts';
import { createLogger } from '../platform/logger.ts';
import { createPageRenderer } from '../web/page-renderer.ts';

type BaseConfig = Pick<
  ConfigOf<typeof settings>,
  'tableName' | 'logLevel' | 'issuer' | 'serviceName' | 'limits' | 'clientAddressSource'
>;

/**
 * What every page function builds at cold start, whatever its journey: the table, its logger, the
 * templates beside its bundle, and the public keys when its root passes them.
 */
export const pageFunctionBase = (
  config: BaseConfig,
  publicKeys: Pick<TokenSigner, 'jwks'> | undefined,
): { readonly table: DynamoTable; readonly page: ReturnType<typeof pageEdge> } => {
  const clock = systemClock;
  return {
    table: new DynamoTable({ client: createDocumentClient(), tableName: config.tableName, clock }),
    page: pageEdge(config, publicKeys),
  };
};

const pageEdge = (config: BaseConfig, publicKeys: Pick<TokenSigner, 'jwks'> | undefined) => ({
  logger: createLogger(config.logLevel),
  metrics: createLambdaMetrics(),
  clock: systemClock,
  issuer: config.issuer,
  /** The service's name, where the patient's pages name it (the seeds' "NHS login"). */
  serviceName: config.serviceName,
  jwks: async (): Promise<JsonWebKeySet> => {
    if (!publicKeys) throw new Error('This function may not read the signing keys.');
    return publicKeys.jwks();
  },
  limits: config.limits,
  renderer: createPageRenderer(
    { views: inBundlePath(bundleLayout.views), nhsukFrontend: inBundlePath(bundleLayout.nhsukFrontend) },
    { serviceName: config.serviceName },
  ),
  /** Deployed pages are always served over https. */
  secureCookies: true,
  clientAddressSource: config.clientAddressSource,
});
