import { loadConfig, settings } from '../../src/platform/config.ts';
import { createLambdaMetrics } from '../../src/platform/lambda-metrics.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { bundledAssetRoots, loadAssetCatalogue } from '../../src/web/static-assets.ts';
import type { StaticAssetsDependencies } from './handler.ts';

/** The assets function's composition root: the catalogue of the files beside its bundle. */
export const dependencies = (env: Record<string, string | undefined>): StaticAssetsDependencies => {
  const config = loadConfig(env, { logLevel: settings.logLevel });
  return {
    logger: createLogger(config.logLevel),
    metrics: createLambdaMetrics(),
    assets: loadAssetCatalogue(bundledAssetRoots()),
  };
};
