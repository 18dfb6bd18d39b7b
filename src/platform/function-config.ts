import { type EnvironmentOf, loadConfig, settings } from './config.ts';
import { allowedPhoneCountries } from './phone-config.ts';

const allSettings = { ...settings, allowedPhoneCountries };

/**
 * A value for every setting, by key, as the stack sets them: adding a setting fails to compile
 * until the stack sets it. An optional one may be `undefined`, and is then left out.
 */
export type FunctionSettings = EnvironmentOf<typeof allSettings>;

/** Every setting, by key: the stack turns each into its environment variable. */
export const functionSettings = allSettings;

/** The whole configuration any function may read. */
export type FunctionConfig = ReturnType<typeof loadFunctionConfig>;

/**
 * Every setting at once: what the stack checks at synthesis, so a stage setting a function would
 * refuse fails `cdk synth`, not a cold start.
 */
export const loadFunctionConfig = (env: Record<string, string | undefined>) => {
  const config = loadConfig(env, allSettings);
  return { ...config, contactUrl: config.contactUrl ?? `${config.issuer}/contact` };
};
