import { WasmArgon2PasswordHasher } from '../adapters/argon2/wasm-argon2-password-hasher.ts';
import { createCommonPasswordList } from '../adapters/files/common-password-file.ts';
import type { SecretBox } from '../domain/identity/secret-box.ts';
import { MessageNotSentError } from '../domain/messaging/message-errors.ts';
import type { EmailSender, SmsSender } from '../domain/messaging/message-senders.ts';
import type { TokenSigner } from '../domain/tokens/token-signer.ts';
import { bundleLayout, inBundle } from '../platform/bundle-files.ts';
import { type ConfigOf, loadConfig, settings } from '../platform/config.ts';
import { allowedPhoneCountries } from '../platform/phone-config.ts';
import { pageFunctionBase } from './page-function-base.ts';
import { createPatientServices } from './patient-services.ts';

/** Every setting but the staff key's: the patients' pages never touch staff secrets. */
const { staffSecretsKeyId: _staffOnly, ...patientSettings } = settings;
const pageSettings = { ...patientSettings, allowedPhoneCountries };
type PageConfig = ConfigOf<typeof pageSettings>;

/**
 * The adapters a page function may have beyond the table, each only where its permissions allow
 * (the route table's `functionSpecs`): its root passes the ones it has.
 */
export interface PageFunctionAdapters {
  readonly email?: (config: PageConfig) => EmailSender;
  readonly sms?: (config: PageConfig) => SmsSender;
  /** Our signing keys' public halves, to recognise ID tokens we issued. */
  readonly publicKeys?: (config: PageConfig) => Pick<TokenSigner, 'jwks'>;
  /**
   * Authenticator-app secrets (`app-secrets:*`): only the functions that set up or check an app
   * build the KMS client, so the others neither load it nor could use it.
   */
  readonly appSecrets?: (config: PageConfig) => SecretBox;
}

/** The secret box of a function without `app-secrets:*`: a page that tried to use it would fail loudly. */
const appSecretsNotPermitted: SecretBox = {
  seal: async () => {
    throw new Error('This function may not seal authenticator-app secrets.');
  },
  open: async () => {
    throw new Error('This function may not open authenticator-app secrets.');
  },
};

/** A sender a function without the permission has: a page that tried to use it would fail loudly, not quietly. */
const notPermitted = (channel: 'email' | 'sms'): EmailSender & SmsSender => ({
  send: async () => {
    throw new MessageNotSentError(channel, { logDetail: `this function may not send ${channel}` });
  },
});

/**
 * What every page function's composition root builds at cold start: its settings, the table, the
 * patient services over the adapters it has, the templates beside its bundle, its logger.
 */
export const pageFunctionDependencies = (
  env: Record<string, string | undefined>,
  adapters: PageFunctionAdapters = {},
) => {
  const config = loadConfig(env, pageSettings);
  const { table, page } = pageFunctionBase(config, adapters.publicKeys?.(config));
  return {
    ...createPatientServices({
      table,
      metrics: page.metrics,
      clock: page.clock,
      limits: config.limits,
      email: adapters.email?.(config) ?? notPermitted('email'),
      sms: adapters.sms?.(config) ?? notPermitted('sms'),
      hasher: new WasmArgon2PasswordHasher(),
      commonPasswords: createCommonPasswordList(inBundle(bundleLayout.commonPasswords)),
      service: {
        serviceName: config.serviceName,
        baseUrl: config.issuer,
        contactLink: config.contactUrl ?? `${config.issuer}/contact`,
      },
      allowedPhoneCountries: config.allowedPhoneCountries,
      allowTestPhoneNumbers: false,
      appSecrets: adapters.appSecrets?.(config) ?? appSecretsNotPermitted,
    }),
    ...page,
    /** The support team's own contact route, offered on the help page, when the stage sets one. */
    supportUrl: config.contactUrl,
  };
};

/** The From header of the service's emails: the service's name as the display name. */
export const fromHeader = (config: Pick<PageConfig, 'serviceName' | 'emailFromAddress'>): string =>
  // The service name is restricted to characters a quoted display name can carry as they are.
  `"${config.serviceName}" <${config.emailFromAddress}>`;
