import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { WasmArgon2PasswordHasher } from '../../src/adapters/argon2/wasm-argon2-password-hasher.ts';
import { createDocumentClient } from '../../src/adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../../src/adapters/dynamodb/dynamo-table.ts';
import { createCommonPasswordList } from '../../src/adapters/files/common-password-file.ts';
import { kmsTokenSigner } from '../../src/adapters/kms/kms-token-signer.ts';
import { SesEmailSender } from '../../src/adapters/ses/ses-email-sender.ts';
import { SnsSmsSender } from '../../src/adapters/sns/sns-sms-sender.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { bundleLayout, inBundle, inBundlePath } from '../../src/platform/bundle-files.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { allowedPhoneCountries } from '../../src/platform/phone-config.ts';
import { createPageRenderer } from '../../src/web/page-renderer.ts';
import { createPatientServices } from '../../src/wiring/patient-services.ts';
import type { PatientPagesDependencies } from './handler.ts';

/** The hosted pages' composition root: the table, email, texts, the password hasher and the templates. */
export const dependencies = (env: Record<string, string | undefined>): PatientPagesDependencies => {
  const config = loadConfig(env, { ...settings, allowedPhoneCountries });
  const clock = systemClock;
  const contactUrl = config.contactUrl ?? `${config.issuer}/contact`;
  const signer = kmsTokenSigner({
    activeKeyId: config.activeSigningKeyId,
    publishedKeyIds: config.signingKeyIds,
  });
  return {
    ...createPatientServices({
      table: new DynamoTable({ client: createDocumentClient(), tableName: config.tableName, clock }),
      clock,
      limits: config.limits,
      email: new SesEmailSender({
        client: new SESv2Client({}),
        // The service name is restricted to characters a quoted display name can carry as they are.
        from: `"${config.serviceName}" <${config.emailFromAddress}>`,
        configurationSetName: config.sesConfigurationSet,
      }),
      sms: new SnsSmsSender({ client: new SNSClient({}), senderId: config.smsSenderId }),
      hasher: new WasmArgon2PasswordHasher(),
      commonPasswords: createCommonPasswordList(inBundle(bundleLayout.commonPasswords)),
      service: { serviceName: config.serviceName, baseUrl: config.issuer, contactLink: contactUrl },
      allowedPhoneCountries: config.allowedPhoneCountries,
      allowTestPhoneNumbers: false,
    }),
    logger: createLogger(config.logLevel),
    clock,
    issuer: config.issuer,
    jwks: () => signer.jwks(),
    limits: config.limits,
    renderer: createPageRenderer(
      { views: inBundlePath(bundleLayout.views), nhsukFrontend: inBundlePath(bundleLayout.nhsukFrontend) },
      { serviceName: config.serviceName },
    ),
    /** Deployed pages are always served over https. */
    secureCookies: true,
    clientAddressSource: config.clientAddressSource,
  };
};
