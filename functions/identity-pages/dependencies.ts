import { kmsTokenSigner } from '../../src/adapters/kms/kms-token-signer.ts';
import { PdsFhirClient } from '../../src/adapters/pds/pds-fhir-client.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { corePageFunctionDependencies } from '../../src/wiring/core-page-dependencies.ts';
import { createIdentityServices, unconfiguredDemographics } from '../../src/wiring/identity-services.ts';

const { pdsBaseUrl, pdsTokenUrl, pdsApiKey, pdsSigningKeyId } = settings;

/**
 * This function's composition root: the table, and PDS for the details check and the NHS number
 * check at login, over the FHIR API with the signed-JWT exchange, signed with the PDS key (its
 * own, which no other function may use). A stage without PDS settings says PDS cannot be reached.
 */
export const dependencies = (env: Record<string, string | undefined>) => {
  const core = corePageFunctionDependencies(env);
  const pds = loadConfig(env, { pdsBaseUrl, pdsTokenUrl, pdsApiKey, pdsSigningKeyId });
  const demographics = pds.pdsBaseUrl
    ? new PdsFhirClient({
        baseUrl: pds.pdsBaseUrl,
        ...(pds.pdsTokenUrl && pds.pdsApiKey
          ? {
              auth: {
                tokenUrl: pds.pdsTokenUrl,
                apiKey: pds.pdsApiKey,
                signer: kmsTokenSigner({
                  activeKeyId: pds.pdsSigningKeyId,
                  publishedKeyIds: [pds.pdsSigningKeyId],
                }),
              },
            }
          : {}),
        clock: systemClock,
      })
    : unconfiguredDemographics;
  return { ...core, ...createIdentityServices({ ...core, demographics }) };
};
