import type { TokenSigner } from '../domain/tokens/token-signer.ts';
import { type ConfigOf, loadConfig, settings } from '../platform/config.ts';
import { createCoreServices } from './core-services.ts';
import { pageFunctionBase } from './page-function-base.ts';

/**
 * The composition root of a page function that sends nothing and checks no password (authorize,
 * proving who you are, logout): the core services only, so its bundle carries neither the phone
 * number metadata nor the password hasher.
 */
export const corePageFunctionDependencies = (
  env: Record<string, string | undefined>,
  adapters: { readonly publicKeys?: (config: ConfigOf<typeof settings>) => Pick<TokenSigner, 'jwks'> } = {},
) => {
  const config = loadConfig(env, settings);
  const { table, page } = pageFunctionBase(config, adapters.publicKeys?.(config));
  return {
    ...createCoreServices({
      table,
      clock: page.clock,
      limits: config.limits,
      issuer: config.issuer,
      metrics: page.metrics,
    }),
    ...page,
    table,
  };
};
