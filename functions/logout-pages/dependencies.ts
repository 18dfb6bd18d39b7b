import { kmsTokenSigner } from '../../src/adapters/kms/kms-token-signer.ts';
import { corePageFunctionDependencies } from '../../src/wiring/core-page-dependencies.ts';

/** This function's composition root: the table and the signing keys' public halves (the end-session hint). */
export const dependencies = (env: Record<string, string | undefined>) =>
  corePageFunctionDependencies(env, {
    publicKeys: (config) =>
      kmsTokenSigner({ activeKeyId: config.activeSigningKeyId, publishedKeyIds: config.signingKeyIds }),
  });
