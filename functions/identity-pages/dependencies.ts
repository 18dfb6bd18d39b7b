import { corePageFunctionDependencies } from '../../src/wiring/core-page-dependencies.ts';
import { createIdentityServices, unconfiguredDemographics } from '../../src/wiring/identity-services.ts';

/**
 * This function's composition root: the table, and PDS for the details check. The deployed
 * stack does not configure PDS yet (its KMS key and settings come next), so a check there says
 * PDS cannot be reached; the local stack uses its PDS sandbox.
 */
export const dependencies = (env: Record<string, string | undefined>) => {
  const core = corePageFunctionDependencies(env);
  return {
    ...core,
    ...createIdentityServices({ ...core, demographics: unconfiguredDemographics }),
  };
};
