import { systemClock } from '../../src/domain/clock.ts';
import { bundleLayout, inBundlePath } from '../../src/platform/bundle-files.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { createLambdaMetrics } from '../../src/platform/lambda-metrics.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createPageRenderer } from '../../src/web/page-renderer.ts';
import type { NotFoundPagesDependencies } from './handler.ts';

const { logLevel, serviceName, limits } = settings;

/** The not-found function's composition root: the templates beside its bundle; no table, no keys. */
export const dependencies = (env: Record<string, string | undefined>): NotFoundPagesDependencies => {
  const config = loadConfig(env, { logLevel, serviceName, limits });
  return {
    logger: createLogger(config.logLevel),
    metrics: createLambdaMetrics(),
    renderer: createPageRenderer(
      { views: inBundlePath(bundleLayout.views), nhsukFrontend: inBundlePath(bundleLayout.nhsukFrontend) },
      { serviceName: config.serviceName },
    ),
    clock: systemClock,
    limits: config.limits,
  };
};
