import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import type { RememberedDevice, RememberedDevices } from '../devices/remembered-devices.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { PasswordSource, PasswordThrottle } from '../limits/password-throttle.ts';
import { PatientProblemError } from '../patient-problems.ts';
import { type Account, type AccountStore, normaliseEmail, passwordThrottleKey } from './account.ts';
import { RegistrationNotConfirmedError } from './account-errors.ts';
import type { PendingRegistration } from './registration.ts';

export interface PasswordLoginDependencies {
  readonly accounts: AccountStore;
  readonly hasher: PasswordHasher;
  readonly throttle: PasswordThrottle;
  readonly devices: RememberedDevices;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Registrations not confirmed yet: their password, given at login, is answered with "confirm your email". */
  readonly pendingRegistrations: { pendingFor(email: string): Promise<PendingRegistration | undefined> };
}

export interface PasswordLoginRequest {
  readonly email: string;
  readonly password: string;
  readonly sourceIp: string;
  /** The browser's remembered-device cookie, if it has one: a device of the account is a trusted source. */
  readonly deviceCookie?: string | undefined;
  /** The account key this browser unlocked a moment ago by email link and second factor, if any. */
  readonly unlockedAccountKey?: string | undefined;
}

/** A right password: the account, and the remembered device of it this browser is, if it is one. */
export interface PasswordLoginResult {
  readonly account: Account;
  readonly rememberedDevice?: RememberedDevice | undefined;
}

/** Longer input is not a password we could have stored; it is refused before any hashing. */
const MAXIMUM_PASSWORD_INPUT = 1024;

const wrongDetails = (options: { lastBeforeDelay?: boolean } = {}) =>
  new InvalidInputError([
    { field: 'email', message: 'Enter the email address and password for your account' },
    ...(options.lastBeforeDelay
      ? [
          {
            field: 'password',
            message:
              'If you enter the wrong password again, you will have to wait before you can try again. If you have forgotten your password, reset it',
          },
        ]
      : []),
  ]);

/**
 * The password step of a login. A wrong password, an unknown email address and a delayed
 * account look and take the same: the same message, the same store calls, a hash check every
 * time, the same throttle. The throttle counts attempts per source: this browser's remembered
 * device of the account, or a browser that has just unlocked it, is never held back by failures
 * from elsewhere.
 */
export class PasswordLogin {
  readonly #deps: PasswordLoginDependencies;
  #dummyHash: Promise<string> | undefined;

  constructor(deps: PasswordLoginDependencies) {
    this.#deps = deps;
  }

  async logIn(request: PasswordLoginRequest): Promise<PasswordLoginResult> {
    const problems = [
      ...(request.email.trim() === '' ? [{ field: 'email', message: 'Enter your email address' }] : []),
      ...(request.password === '' ? [{ field: 'password', message: 'Enter your password' }] : []),
    ];
    if (problems.length > 0) throw new InvalidInputError(problems);
    if (request.password.length > MAXIMUM_PASSWORD_INPUT) throw wrongDetails();

    const accountKey = passwordThrottleKey(request.email);
    const { throttle, accounts, hasher } = this.#deps;
    // The account and the device it may be are looked up while the throttle reads its state, and a
    // registration waiting for its email always, so an address without an account takes no longer.
    const pending = this.#deps.pendingRegistrations.pendingFor(request.email);
    const lookup = accounts.findByEmail(request.email).then(async (account) => ({
      account,
      rememberedDevice: request.deviceCookie
        ? await this.#deps.devices.identify(account?.accountId ?? 'no-account', request.deviceCookie)
        : undefined,
    }));
    const attempt = await throttle.admitAttempt(
      accountKey,
      lookup.then(({ rememberedDevice }) => this.#sourceOf(request, rememberedDevice, accountKey)),
    );
    const [{ account, rememberedDevice }, registration] = await Promise.all([lookup, pending]);
    // One hash check whatever the address: the account's, a pending registration's, or a dummy's.
    const expected = account?.passwordHash ?? registration?.passwordHash ?? (await this.#dummy());
    const matches = await hasher.verify(expected, request.password);
    if (matches && !account && registration) {
      // Not a failure: the password chosen at registration, before the email was confirmed.
      await throttle.recordSuccess(attempt);
      await this.#deps.audit.recordForAddress({
        type: 'login-before-confirmation',
        at: this.#deps.clock().toISOString(),
        sourceIp: request.sourceIp,
        address: normaliseEmail(request.email),
      });
      throw new RegistrationNotConfirmedError(registration.email, registration.linkDigest);
    }
    if (!matches || !account) {
      const delayedUntil = await throttle.recordFailure(attempt);
      await this.#recordFailure(request, account, delayedUntil);
      throw wrongDetails({ lastBeforeDelay: !delayedUntil && throttle.nextFailureDelays(attempt) });
    }
    await throttle.recordSuccess(attempt);
    // Support required a new password (the old one may be known to someone else): it opens nothing.
    if (account.passwordResetRequired) {
      await this.#deps.audit.record({
        accountId: account.accountId,
        type: 'password-reset-required',
        at: this.#deps.clock().toISOString(),
        sourceIp: request.sourceIp,
      });
      throw new PatientProblemError('password-reset-required');
    }
    if (hasher.needsRehash(account.passwordHash)) {
      await accounts.updatePasswordHash(account.accountId, await hasher.hash(request.password));
      await this.#deps.audit.record({
        accountId: account.accountId,
        type: 'password-rehashed',
        at: this.#deps.clock().toISOString(),
      });
    }
    return { account, rememberedDevice };
  }

  /** A trusted source when the browser has the account's remembered device or just unlocked it; else its network. */
  #sourceOf(
    request: PasswordLoginRequest,
    rememberedDevice: RememberedDevice | undefined,
    accountKey: string,
  ): PasswordSource {
    if (request.unlockedAccountKey === accountKey) return { kind: 'trusted', id: `unlocked ${accountKey}` };
    return rememberedDevice
      ? { kind: 'trusted', id: `device ${rememberedDevice.deviceId}` }
      : { kind: 'network', ip: request.sourceIp };
  }

  /** One audit write either way: under the account, or under the address when it has none. */
  async #recordFailure(request: PasswordLoginRequest, account: Account | undefined, delayedUntil?: Date) {
    const event = {
      type: delayedUntil ? ('locked-out' as const) : ('login-failed' as const),
      at: this.#deps.clock().toISOString(),
      sourceIp: request.sourceIp,
      detail: delayedUntil ? 'password-delayed' : 'wrong-password',
    };
    if (account) await this.#deps.audit.record({ ...event, accountId: account.accountId });
    else await this.#deps.audit.recordForAddress({ ...event, address: normaliseEmail(request.email) });
  }

  /** A hash of nothing anyone knows, made with the current parameters, to check unknown emails against. */
  #dummy(): Promise<string> {
    this.#dummyHash ??= this.#deps.hasher.hash(`no account ${randomUUID()}`);
    return this.#dummyHash;
  }
}
