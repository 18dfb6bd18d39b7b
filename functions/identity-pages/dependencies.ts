import { GpLinkageClient } from '../../src/adapters/gp/gp-linkage-client.ts';
import { KmsSecretBox } from '../../src/adapters/kms/kms-secret-box.ts';
import { kmsTokenSigner } from '../../src/adapters/kms/kms-token-signer.ts';
import { PdsFhirClient } from '../../src/adapters/pds/pds-fhir-client.ts';
import { sesEmailSender } from '../../src/adapters/ses/ses-email-sender.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { corePageFunctionDependencies } from '../../src/wiring/core-page-dependencies.ts';
import {
  createIdentityServices,
  unconfiguredDemographics,
  unconfiguredGp,
} from '../../src/wiring/identity-services.ts';
import { fromHeader } from '../../src/wiring/page-function-dependencies.ts';

const {
  pdsBaseUrl,
  pdsTokenUrl,
  pdsApiKey,
  pdsSigningKeyId,
  gpCredentialsKeyId,
  gpBaseUrl,
  gpApiKey,
  serviceName,
  issuer,
  contactUrl,
  emailFromAddress,
  sesConfigurationSet,
} = settings;

/**
 * This function's composition root: the table; PDS for the details check and the NHS number
 * check at login, over the FHIR API with the signed-JWT exchange, signed with the PDS key (its
 * own, which no other function may use); the GP linkage broker; the GP credentials key to seal
 * with; SES for the duplicate journey's emails. A stage without PDS or GP settings says they
 * cannot be reached.
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
  const gp = loadConfig(env, { gpCredentialsKeyId, gpBaseUrl, gpApiKey });
  const service = loadConfig(env, { serviceName, issuer, contactUrl, emailFromAddress, sesConfigurationSet });
  return {
    ...core,
    ...createIdentityServices({
      ...core,
      demographics,
      gp: gp.gpBaseUrl ? new GpLinkageClient({ baseUrl: gp.gpBaseUrl, apiKey: gp.gpApiKey }) : unconfiguredGp,
      // Encrypt only: this function's key grant has no kms:Decrypt.
      secrets: new KmsSecretBox({ keyId: gp.gpCredentialsKeyId }),
      email: sesEmailSender({
        from: fromHeader(service),
        configurationSetName: service.sesConfigurationSet,
      }),
      service: {
        serviceName: service.serviceName,
        contactLink: service.contactUrl ?? `${service.issuer}/contact`,
      },
    }),
  };
};
