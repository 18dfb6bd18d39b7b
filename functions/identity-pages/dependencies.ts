import { GpLinkageClient } from '../../src/adapters/gp/gp-linkage-client.ts';
import { KmsSecretBox } from '../../src/adapters/kms/kms-secret-box.ts';
import { S3MediaStore, s3MediaOrigin } from '../../src/adapters/s3/s3-media-store.ts';
import { sesEmailSender } from '../../src/adapters/ses/ses-email-sender.ts';
import { SfnPhotoIdWorkflow } from '../../src/adapters/sfn/sfn-photo-id-workflow.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { corePageFunctionDependencies } from '../../src/wiring/core-page-dependencies.ts';
import { createIdentityServices, unconfiguredGp } from '../../src/wiring/identity-services.ts';
import { fromHeader } from '../../src/wiring/page-function-dependencies.ts';
import { pdsDemographics } from '../../src/wiring/pds-demographics.ts';

const {
  gpCredentialsKeyId,
  gpBaseUrl,
  gpApiKey,
  serviceName,
  issuer,
  contactUrl,
  emailFromAddress,
  sesConfigurationSet,
  mediaBucket,
  photoIdStateMachineArn,
  photoId,
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
  const demographics = pdsDemographics(env);
  const gp = loadConfig(env, { gpCredentialsKeyId, gpBaseUrl, gpApiKey });
  const service = loadConfig(env, { serviceName, issuer, contactUrl, emailFromAddress, sesConfigurationSet });
  const photo = loadConfig(env, { mediaBucket, photoIdStateMachineArn, photoId });
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
      media: new S3MediaStore({ bucket: photo.mediaBucket }),
      mediaOrigin: s3MediaOrigin(photo.mediaBucket, env.AWS_REGION ?? 'eu-west-2'),
      workflow: new SfnPhotoIdWorkflow({ stateMachineArn: photo.photoIdStateMachineArn }),
      photoId: photo.photoId,
      issuer: service.issuer,
      service: {
        serviceName: service.serviceName,
        contactLink: service.contactUrl ?? `${service.issuer}/contact`,
      },
    }),
  };
};
