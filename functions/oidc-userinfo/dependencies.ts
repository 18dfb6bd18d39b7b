import { oidcFunctionDependencies } from '../../src/wiring/oidc-function-dependencies.ts';
import type { OidcUserinfoDependencies } from './handler.ts';

/** The UserInfo function's composition root: the table, and the public keys that verify access tokens. */
export const dependencies = (env: Record<string, string | undefined>): OidcUserinfoDependencies =>
  oidcFunctionDependencies(env);
