import { oidcFunctionDependencies } from '../../src/wiring/oidc-function-dependencies.ts';
import type { OidcTokenDependencies } from './handler.ts';

/** The token function's composition root: the table and the only signer that may sign. */
export const dependencies = (env: Record<string, string | undefined>): OidcTokenDependencies =>
  oidcFunctionDependencies(env);
