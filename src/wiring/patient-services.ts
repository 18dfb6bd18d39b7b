import { DynamoFailureCounter } from '../adapters/dynamodb/dynamo-failure-counter.ts';
import { DynamoKnownPhoneNumbers } from '../adapters/dynamodb/dynamo-known-phone-numbers.ts';
import { DynamoLinkStore } from '../adapters/dynamodb/dynamo-link-store.ts';
import { DynamoLockouts } from '../adapters/dynamodb/dynamo-lockouts.ts';
import { DynamoPasskeyChallengeStore } from '../adapters/dynamodb/dynamo-passkey-challenge-store.ts';
import { DynamoPasskeyStore } from '../adapters/dynamodb/dynamo-passkey-store.ts';
import { DynamoPasswordFailureStore } from '../adapters/dynamodb/dynamo-password-failure-store.ts';
import { DynamoRateLimiter } from '../adapters/dynamodb/dynamo-rate-limiter.ts';
import { DynamoSecurityCodeStore } from '../adapters/dynamodb/dynamo-security-code-store.ts';
import { DynamoShardedCounter } from '../adapters/dynamodb/dynamo-sharded-counter.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { AccountLinks } from '../domain/accounts/account-links.ts';
import { AccountRecovery } from '../domain/accounts/account-recovery.ts';
import { AccountSettings } from '../domain/accounts/account-settings.ts';
import { AccountUnlock } from '../domain/accounts/account-unlock.ts';
import { LoginCompletion } from '../domain/accounts/login-completion.ts';
import { LoginSecondFactor } from '../domain/accounts/login-second-factor.ts';
import { NewPhoneNumbers } from '../domain/accounts/new-phone-numbers.ts';
import { PasswordLogin } from '../domain/accounts/password-login.ts';
import { PasswordReset } from '../domain/accounts/password-reset.ts';
import type { PatientServiceSettings } from '../domain/accounts/patient-service.ts';
import { Reauthentication } from '../domain/accounts/reauthentication.ts';
import { Registration } from '../domain/accounts/registration.ts';
import type { Clock } from '../domain/clock.ts';
import type { CommonPasswordList } from '../domain/credentials/common-passwords.ts';
import type { PasswordHasher } from '../domain/credentials/password-hasher.ts';
import type { SecretBox } from '../domain/identity/secret-box.ts';
import { CodeSendThrottle } from '../domain/limits/code-send-throttle.ts';
import { EmailSendThrottle } from '../domain/limits/email-send-throttle.ts';
import type { Limits } from '../domain/limits/limits.ts';
import { PasswordThrottle } from '../domain/limits/password-throttle.ts';
import { TextMessageCaps } from '../domain/limits/text-message-caps.ts';
import { OneTimeLinks } from '../domain/links/one-time-links.ts';
import type { EmailSender, SmsSender } from '../domain/messaging/message-senders.ts';
import { Passkeys } from '../domain/passkeys/passkeys.ts';
import { AuthenticatorApps } from '../domain/second-factors/authenticator-app.ts';
import { SecondFactors } from '../domain/second-factors/second-factor.ts';
import { SecurityCodeDelivery } from '../domain/second-factors/security-code-delivery.ts';
import { SmsSecondFactor } from '../domain/second-factors/sms-second-factor.ts';
import { SecurityCodes } from '../domain/security-codes/security-codes.ts';
import type { ServiceMetrics } from '../platform/metrics.ts';
import { urlFor } from '../routes.ts';
import { createCoreServices } from './core-services.ts';

export interface PatientServiceAdapters {
  readonly table: DynamoTable;
  readonly metrics: ServiceMetrics;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly hasher: PasswordHasher;
  readonly commonPasswords: CommonPasswordList;
  readonly service: {
    readonly serviceName: string;
    /** The public base URL of the hosted pages: the issuer. */
    readonly baseUrl: string;
    readonly contactLink: string;
  };
  readonly allowedPhoneCountries: readonly string[];
  readonly allowTestPhoneNumbers: boolean;
  /** Seals and opens authenticator-app secrets (KMS in AWS, a local key on `npm start`). */
  readonly appSecrets: SecretBox;
}

/**
 * The patient journeys' services over their adapters: the one wiring both composition roots
 * (Lambda and the local stack) use, so the two cannot wire them differently.
 */
export const createPatientServices = (adapters: PatientServiceAdapters) => {
  const { table, clock, limits, hasher, commonPasswords, email, sms } = adapters;
  const { baseUrl } = adapters.service;
  const service: PatientServiceSettings = {
    serviceName: adapters.service.serviceName,
    contactLink: adapters.service.contactLink,
    pageUrl: (page, query) => `${baseUrl}${urlFor(page, query)}`,
  };
  const core = createCoreServices({ table, clock, limits, issuer: baseUrl, metrics: adapters.metrics });
  const { accounts, audit, sessions, devices } = core;
  const rateLimiter = new DynamoRateLimiter({ table, clock });
  const lockouts = new DynamoLockouts(table);
  const throttle = new PasswordThrottle({
    store: new DynamoPasswordFailureStore(table),
    rateLimiter,
    clock,
    limits,
  });
  const emailThrottle = new EmailSendThrottle({ rateLimiter, limits });
  const links = new OneTimeLinks({ store: new DynamoLinkStore(table), clock });
  const accountLinks = new AccountLinks(links);
  const textCaps = new TextMessageCaps({
    rateLimiter,
    knownNumbers: new DynamoKnownPhoneNumbers({ table, clock }),
    serviceCounter: new DynamoShardedCounter({ table, clock }),
    limits,
  });
  const delivery = new SecurityCodeDelivery({
    codes: new SecurityCodes({
      store: new DynamoSecurityCodeStore(table),
      lockouts,
      failures: new DynamoFailureCounter({ table, clock }),
      clock,
      limits,
    }),
    sendThrottle: new CodeSendThrottle({ rateLimiter, limits }),
    textCaps,
    sms,
    email,
    audit,
    clock,
    limits,
    service,
  });
  const authenticatorApps = new AuthenticatorApps({
    accounts,
    secrets: adapters.appSecrets,
    delivery,
    audit,
    email,
    clock,
    service,
  });
  // The app first: an account that has one is asked for its code rather than texted.
  const secondFactors = new SecondFactors([authenticatorApps, new SmsSecondFactor(delivery)]);
  const newPhones = new NewPhoneNumbers({
    accounts,
    delivery,
    audit,
    clock,
    allowedPhoneCountries: adapters.allowedPhoneCountries,
    allowTestPhoneNumbers: adapters.allowTestPhoneNumbers,
  });
  // Passkeys belong to the hosted pages' origin: its host is the WebAuthn relying party id.
  const origin = new URL(baseUrl);
  const passkeys = new Passkeys({
    passkeys: new DynamoPasskeyStore(table),
    challenges: new DynamoPasskeyChallengeStore(table),
    accounts,
    sessions,
    rateLimiter,
    audit,
    email,
    clock,
    limits,
    relyingParty: { name: service.serviceName, id: origin.hostname, origin: origin.origin },
    service: {
      serviceName: service.serviceName,
      contactLink: service.contactLink,
      settingsLink: service.pageUrl('settings-passkeys'),
    },
  });
  const recovery = new AccountRecovery({
    accounts,
    links,
    secondFactors,
    passkeys,
    email,
    emailThrottle,
    throttle,
    audit,
    clock,
    limits,
    service,
  });
  const settings = new AccountSettings({
    accounts,
    links,
    accountLinks,
    hasher,
    commonPasswords,
    email,
    sms,
    newPhones,
    secondFactors,
    textCaps,
    throttle,
    emailThrottle,
    sessions,
    devices,
    audit,
    clock,
    limits,
    service,
  });
  const registration = new Registration({
    accounts,
    links,
    recovery,
    hasher,
    throttle,
    commonPasswords,
    email,
    audit,
    emailThrottle,
    clock,
    limits,
    service,
  });
  const loginSecondFactor = new LoginSecondFactor({ secondFactors, delivery, newPhones });
  return {
    ...core,
    passkeys,
    authenticatorApps,
    loginSecondFactor,
    loginCompletion: new LoginCompletion({ secondFactor: loginSecondFactor, devices, audit, clock }),
    newPhones,
    settings,
    reauthentication: new Reauthentication({ settings, secondFactors, passkeys, audit, clock }),
    recovery,
    passwordReset: new PasswordReset({
      accounts,
      recovery,
      accountLinks,
      hasher,
      commonPasswords,
      email,
      sessions,
      devices,
      throttle,
      audit,
      clock,
      service,
    }),
    accountUnlock: new AccountUnlock({ recovery, throttle, audit, clock }),
    registration,
    passwordLogin: new PasswordLogin({
      accounts,
      hasher,
      throttle,
      devices,
      audit,
      clock,
      pendingRegistrations: registration,
    }),
  };
};
