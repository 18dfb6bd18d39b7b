import { fileURLToPath } from 'node:url';
import { KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { WasmArgon2PasswordHasher } from '../adapters/argon2/wasm-argon2-password-hasher.ts';
import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { KmsTokenSigner } from '../adapters/kms/kms-token-signer.ts';
import { SesEmailSender } from '../adapters/ses/ses-email-sender.ts';
import { SnsSmsSender } from '../adapters/sns/sns-sms-sender.ts';
import { systemClock } from '../domain/clock.ts';
import { createCommonPasswordList } from '../domain/credentials/common-passwords.ts';
import { createPageRenderer } from '../web/page-renderer.ts';
import { loadAssetCatalogue } from '../web/static-assets.ts';
import { bundleLayout, loadFunctionConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createOidcServices } from './oidc-services.ts';
import { createPatientServices } from './patient-services.ts';

// Bundled into `index.mjs`, this module's URL is the bundle's, so these are the files beside it.
const inBundle = (path: string): URL => new URL(`./${path}`, import.meta.url);
const inBundlePath = (path: string): string => fileURLToPath(inBundle(path));

/** Builds a value on the first call and returns the same one after. */
const once = <T>(build: () => T): (() => T) => {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
};

/**
 * The AWS composition root: validates the configuration once at cold start and builds the AWS
 * adapters. Each dependency is built on first use, and once, so a function only builds what its
 * handler needs: the metadata function never builds the table, the pages never the signer.
 */
export const awsDependencies = (env: Record<string, string | undefined>) => {
  const config = loadFunctionConfig(env);
  const logger = createLogger(config.logLevel);
  const clock = systemClock;

  const signer = once(
    () =>
      new KmsTokenSigner({
        client: new KMSClient({}),
        activeKeyId: config.activeSigningKeyId,
        publishedKeyIds: config.signingKeyIds,
      }),
  );
  const table = once(
    () => new DynamoTable({ client: createDocumentClient(), tableName: config.tableName, clock }),
  );
  const services = once(() =>
    createPatientServices({
      table: table(),
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
      service: { serviceName: config.serviceName, baseUrl: config.issuer, contactLink: config.contactUrl },
      allowedPhoneCountries: config.allowedPhoneCountries,
      allowTestPhoneNumbers: false,
    }),
  );
  const oidc = once(() =>
    createOidcServices({
      table: table(),
      signer: signer(),
      clock,
      limits: config.limits,
      issuer: config.issuer,
    }),
  );
  const renderer = once(() =>
    createPageRenderer(
      { views: inBundlePath(bundleLayout.views), nhsukFrontend: inBundlePath(bundleLayout.nhsukFrontend) },
      { serviceName: config.serviceName },
    ),
  );
  const assets = once(() =>
    loadAssetCatalogue({
      nhsukFrontend: inBundlePath(`${bundleLayout.nhsukFrontend}/nhsuk`),
      ownAssets: inBundlePath(bundleLayout.ownAssets),
    }),
  );

  return {
    /** What each function's `createHandler` takes; a function builds only what its own handler needs. */
    openIdMetadata: () => ({ issuer: config.issuer, logger, signer: signer() }),
    staticAssets: () => ({ logger, assets: assets() }),
    oidcToken: () => ({ ...oidc(), logger }),
    oidcUserinfo: () => ({ ...oidc(), logger }),
    patientPages: () => ({
      ...services(),
      logger,
      clock,
      issuer: config.issuer,
      jwks: () => signer().jwks(),
      limits: config.limits,
      renderer: renderer(),
      /** Deployed pages are always served over https. */
      secureCookies: true,
      clientAddressSource: config.clientAddressSource,
    }),
  };
};
