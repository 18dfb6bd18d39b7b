import { kmsTokenSigner } from '../adapters/kms/kms-token-signer.ts';
import { PdsFhirClient } from '../adapters/pds/pds-fhir-client.ts';
import { systemClock } from '../domain/clock.ts';
import type { Demographics } from '../domain/identity/demographics.ts';
import { loadConfig, settings } from '../platform/config.ts';
import { unconfiguredDemographics } from './identity-services.ts';

/**
 * PDS for a deployed function: the FHIR API with the signed-JWT exchange, signed with the PDS
 * key (its own, never a token-signing key); a stage without PDS settings says PDS cannot be reached.
 */
export const pdsDemographics = (env: Record<string, string | undefined>): Demographics => {
  const { pdsBaseUrl, pdsTokenUrl, pdsApiKey, pdsSigningKeyId } = settings;
  const pds = loadConfig(env, { pdsBaseUrl, pdsTokenUrl, pdsApiKey, pdsSigningKeyId });
  if (!pds.pdsBaseUrl) return unconfiguredDemographics;
  return new PdsFhirClient({
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
  });
};
