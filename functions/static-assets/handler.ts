import { createHttpHandler } from '../../src/platform/http/http-handler.ts';
import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { ServiceMetrics } from '../../src/platform/metrics.ts';
import { type StaticAsset, staticAssetRoute } from '../../src/web/static-assets.ts';

export interface StaticAssetsDependencies {
  readonly assets: ReadonlyMap<string, StaticAsset>;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
}

/** Serves the design system's files; each is read once per container and then kept in memory. */
export const createHandler = (deps: StaticAssetsDependencies): HttpHandler =>
  createHttpHandler({
    functionName: 'static-assets',
    logger: deps.logger,
    metrics: deps.metrics,
    routes: { 'static-asset': staticAssetRoute(deps.assets) },
  });
