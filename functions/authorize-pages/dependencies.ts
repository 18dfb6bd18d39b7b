import { pageFunctionDependencies } from '../../src/wiring/page-function-dependencies.ts';

/** This function's composition root: the table only (it sends nothing and signs nothing). */
export const dependencies = (env: Record<string, string | undefined>) => pageFunctionDependencies(env);
