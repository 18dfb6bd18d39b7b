import { KMSClient } from '@aws-sdk/client-kms';
import { KmsTokenSigner } from '../adapters/kms/kms-token-signer.ts';
import { systemClock } from '../domain/clock.ts';
import { loadFunctionConfig } from './config.ts';
import { createLogger } from './logger.ts';

/**
 * The AWS composition root: validates the configuration once at cold start and builds the AWS
 * adapters. Adapters are created on first use, so a function only builds the clients it calls.
 */
export const awsDependencies = (env: Record<string, string | undefined>) => {
  const config = loadFunctionConfig(env);
  const logger = createLogger(config.logLevel);
  let signer: KmsTokenSigner | undefined;
  return {
    config,
    issuer: config.issuer,
    clock: systemClock,
    logger,
    get signer(): KmsTokenSigner {
      signer ??= new KmsTokenSigner({
        client: new KMSClient({}),
        activeKeyId: config.activeSigningKeyId,
        publishedKeyIds: config.signingKeyIds,
      });
      return signer;
    },
  };
};
