import { kmsTokenSigner } from '../../src/adapters/kms/kms-token-signer.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { createLambdaMetrics } from '../../src/platform/lambda-metrics.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { OpenIdMetadataDependencies } from './handler.ts';

const { issuer, logLevel, signingKeyIds, activeSigningKeyId } = settings;

/** The discovery function's composition root: its settings and the public halves of the signing keys. */
export const dependencies = (env: Record<string, string | undefined>): OpenIdMetadataDependencies => {
  const config = loadConfig(env, { issuer, logLevel, signingKeyIds, activeSigningKeyId });
  return {
    issuer: config.issuer,
    logger: createLogger(config.logLevel),
    metrics: createLambdaMetrics(),
    signer: kmsTokenSigner({ activeKeyId: config.activeSigningKeyId, publishedKeyIds: config.signingKeyIds }),
  };
};
