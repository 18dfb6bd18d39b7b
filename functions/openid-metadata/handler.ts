import { buildDiscoveryDocument } from '../../src/domain/oidc/discovery.ts';
import type { TokenSigner } from '../../src/domain/tokens/token-signer.ts';
import { createHttpHandler, defineRoute } from '../../src/platform/http/http-handler.ts';
import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import { jsonResponse } from '../../src/platform/http/responses.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { ServiceMetrics } from '../../src/platform/metrics.ts';
import { routes } from '../../src/routes.ts';

export interface OpenIdMetadataDependencies {
  readonly issuer: string;
  readonly signer: Pick<TokenSigner, 'jwks'>;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
}

/** Public, identical for every caller, and fetched by servers and browsers alike. */
const publicMetadataHeaders = {
  'cache-control': 'public, max-age=300',
  'access-control-allow-origin': '*',
};

/** Serves the discovery document and the JWKS. */
export const createHandler = (deps: OpenIdMetadataDependencies): HttpHandler => {
  const discoveryDocument = buildDiscoveryDocument(deps.issuer, routes);
  return createHttpHandler({
    functionName: 'openid-metadata',
    logger: deps.logger,
    metrics: deps.metrics,
    routes: {
      discovery: defineRoute({
        handle: async () => jsonResponse(200, discoveryDocument, publicMetadataHeaders),
      }),
      jwks: defineRoute({
        handle: async () =>
          jsonResponse(200, await deps.signer.jwks(), {
            ...publicMetadataHeaders,
            'content-type': 'application/jwk-set+json; charset=utf-8',
          }),
      }),
    },
  });
};
