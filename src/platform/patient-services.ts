import { DynamoAccountStore } from '../adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoClientStore } from '../adapters/dynamodb/dynamo-client-store.ts';
import { DynamoConsentStore } from '../adapters/dynamodb/dynamo-consent-store.ts';
import { DynamoDeviceStore } from '../adapters/dynamodb/dynamo-device-store.ts';
import { DynamoFailureCounter } from '../adapters/dynamodb/dynamo-failure-counter.ts';
import { DynamoLinkStore } from '../adapters/dynamodb/dynamo-link-store.ts';
import { DynamoLockouts } from '../adapters/dynamodb/dynamo-lockouts.ts';
import { DynamoRateLimiter } from '../adapters/dynamodb/dynamo-rate-limiter.ts';
import { DynamoSecurityCodeStore } from '../adapters/dynamodb/dynamo-security-code-store.ts';
import { DynamoSessionStore } from '../adapters/dynamodb/dynamo-session-store.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { AccountSettings } from '../domain/accounts/account-settings.ts';
import { PasswordLogin } from '../domain/accounts/password-login.ts';
import { PasswordReset } from '../domain/accounts/password-reset.ts';
import type { PatientServiceSettings } from '../domain/accounts/patient-service.ts';
import { Registration } from '../domain/accounts/registration.ts';
import { SecondFactor } from '../domain/accounts/second-factor.ts';
import type { Clock } from '../domain/clock.ts';
import type { CommonPasswordList } from '../domain/credentials/common-passwords.ts';
import type { PasswordHasher } from '../domain/credentials/password-hasher.ts';
import { RememberedDevices } from '../domain/devices/remembered-devices.ts';
import { CodeSendThrottle } from '../domain/limits/code-send-throttle.ts';
import { EmailSendThrottle } from '../domain/limits/email-send-throttle.ts';
import type { Limits } from '../domain/limits/limits.ts';
import { PasswordThrottle } from '../domain/limits/password-throttle.ts';
import { OneTimeLinks } from '../domain/links/one-time-links.ts';
import type { EmailSender, SmsSender } from '../domain/messaging/message-senders.ts';
import { AuthorizationDecision } from '../domain/oidc/authorization-decision.ts';
import { SecurityCodes } from '../domain/security-codes/security-codes.ts';
import { Sessions } from '../domain/sessions/sessions.ts';
import { authorizationCodesOn, loginIdentitiesOn } from './oidc-services.ts';

export interface PatientServiceAdapters {
  readonly table: DynamoTable;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly hasher: PasswordHasher;
  readonly commonPasswords: CommonPasswordList;
  readonly service: PatientServiceSettings;
  readonly allowedPhoneCountries: readonly string[];
  readonly allowTestPhoneNumbers: boolean;
}

/**
 * The patient journeys' services over their adapters: the one wiring both composition roots
 * (Lambda and the local stack) use, so the two cannot wire them differently.
 */
export const createPatientServices = (adapters: PatientServiceAdapters) => {
  const { table, clock, limits } = adapters;
  const accounts = new DynamoAccountStore(table);
  const audit = new DynamoAuditLog(table);
  const rateLimiter = new DynamoRateLimiter({ table, clock });
  const lockouts = new DynamoLockouts(table);
  const throttle = new PasswordThrottle({ rateLimiter, lockouts, clock, limits });
  const emailThrottle = new EmailSendThrottle({ rateLimiter, limits });
  const links = new OneTimeLinks({ store: new DynamoLinkStore(table), clock });
  const sessions = new Sessions({
    store: new DynamoSessionStore(table),
    clock,
    timeouts: { idleSeconds: limits.sessionIdleSeconds, absoluteSeconds: limits.sessionAbsoluteSeconds },
  });
  const devices = new RememberedDevices({
    store: new DynamoDeviceStore(table),
    clock,
    lifetimeSeconds: limits.rememberedDeviceLifetimeSeconds,
  });
  const secondFactor = new SecondFactor({
    accounts,
    codes: new SecurityCodes({
      store: new DynamoSecurityCodeStore(table),
      lockouts,
      failures: new DynamoFailureCounter({ table, clock }),
      clock,
      limits,
    }),
    sendThrottle: new CodeSendThrottle({ rateLimiter, limits }),
    sms: adapters.sms,
    email: adapters.email,
    audit,
    clock,
    limits,
    service: adapters.service,
    allowedPhoneCountries: adapters.allowedPhoneCountries,
    allowTestPhoneNumbers: adapters.allowTestPhoneNumbers,
  });
  const clients = new DynamoClientStore(table);
  const authorization = new AuthorizationDecision({
    consents: new DynamoConsentStore(table, clock),
    codes: authorizationCodesOn(table, clock, limits),
  });
  // The service's base URL is our issuer.
  const loginIdentities = loginIdentitiesOn(table, clock, limits, adapters.service.baseUrl);
  return {
    accounts,
    clients,
    authorization,
    loginIdentities,
    secondFactor,
    settings: new AccountSettings({
      accounts,
      links,
      hasher: adapters.hasher,
      commonPasswords: adapters.commonPasswords,
      email: adapters.email,
      secondFactor,
      throttle,
      sessions,
      devices,
      audit,
      clock,
      limits,
      service: adapters.service,
    }),
    audit,
    sessions,
    devices,
    passwordReset: new PasswordReset({
      accounts,
      links,
      hasher: adapters.hasher,
      commonPasswords: adapters.commonPasswords,
      email: adapters.email,
      sessions,
      devices,
      audit,
      emailThrottle,
      clock,
      limits,
      service: adapters.service,
    }),
    registration: new Registration({
      accounts,
      links,
      hasher: adapters.hasher,
      commonPasswords: adapters.commonPasswords,
      email: adapters.email,
      audit,
      emailThrottle,
      clock,
      limits,
      service: adapters.service,
    }),
    passwordLogin: new PasswordLogin({
      accounts,
      hasher: adapters.hasher,
      throttle,
      audit,
      clock,
    }),
  };
};
