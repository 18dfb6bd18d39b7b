import { corePageFunctionDependencies } from '../../src/wiring/core-page-dependencies.ts';

/** This function's composition root: the table only (it sends nothing, signs nothing, checks no password). */
export const dependencies = (env: Record<string, string | undefined>) => corePageFunctionDependencies(env);
