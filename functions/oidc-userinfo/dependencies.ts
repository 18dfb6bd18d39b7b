import { KmsSecretBox } from '../../src/adapters/kms/kms-secret-box.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { oidcFunctionDependencies } from '../../src/wiring/oidc-function-dependencies.ts';
import type { OidcUserinfoDependencies } from './handler.ts';

const { gpCredentialsKeyId } = settings;

/**
 * The UserInfo function's composition root: the table, the public keys that verify access
 * tokens, and the GP credentials key, which only this function may decrypt with.
 */
export const dependencies = (env: Record<string, string | undefined>): OidcUserinfoDependencies => ({
  ...oidcFunctionDependencies(env),
  secrets: new KmsSecretBox({ keyId: loadConfig(env, { gpCredentialsKeyId }).gpCredentialsKeyId }),
});
