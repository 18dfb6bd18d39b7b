import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { PasswordThrottle } from '../limits/password-throttle.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
import { type Account, type AccountStore, passwordThrottleKey } from './account.ts';

export interface PasswordLoginDependencies {
  readonly accounts: AccountStore;
  readonly hasher: PasswordHasher;
  readonly throttle: PasswordThrottle;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/** Longer input is not a password we could have stored; it is refused before any hashing. */
const MAXIMUM_PASSWORD_INPUT = 1024;

const wrongDetails = () =>
  new InvalidInputError([
    { field: 'email', message: 'Enter the email address and password for your account' },
  ]);

/**
 * The password step of a login. A wrong password, an unknown email address and a locked account
 * look and take the same: the same message, a hash check every time, the same throttle.
 */
export class PasswordLogin {
  readonly #deps: PasswordLoginDependencies;
  #dummyHash: Promise<string> | undefined;

  constructor(deps: PasswordLoginDependencies) {
    this.#deps = deps;
  }

  async logIn(request: { email: string; password: string; sourceIp: string }): Promise<Account> {
    const problems = [
      ...(request.email.trim() === '' ? [{ field: 'email', message: 'Enter your email address' }] : []),
      ...(request.password === '' ? [{ field: 'password', message: 'Enter your password' }] : []),
    ];
    if (problems.length > 0) throw new InvalidInputError(problems);
    if (request.password.length > MAXIMUM_PASSWORD_INPUT) throw wrongDetails();

    const accountKey = passwordThrottleKey(request.email);
    const { throttle, accounts, hasher, audit } = this.#deps;
    await throttle.admitAttempt(accountKey, request.sourceIp);
    const account = await accounts.findByEmail(request.email);
    const matches = account
      ? await hasher.verify(account.passwordHash, request.password)
      : (await hasher.verify(await this.#dummy(), request.password)) && false;
    const at = this.#deps.clock().toISOString();
    if (!matches || !account) {
      try {
        await throttle.recordFailure(accountKey, request.sourceIp);
      } catch (error) {
        if (account && error instanceof TooManyAttemptsError) {
          await audit.record({
            accountId: account.accountId,
            type: 'locked-out',
            at,
            sourceIp: request.sourceIp,
          });
        }
        throw error;
      }
      if (account) {
        await audit.record({
          accountId: account.accountId,
          type: 'login-failed',
          at,
          sourceIp: request.sourceIp,
          detail: 'wrong-password',
        });
      }
      throw wrongDetails();
    }
    await throttle.recordSuccess(accountKey);
    if (hasher.needsRehash(account.passwordHash)) {
      await accounts.updatePasswordHash(account.accountId, await hasher.hash(request.password));
      await audit.record({ accountId: account.accountId, type: 'password-rehashed', at });
    }
    return account;
  }

  /** A hash of nothing anyone knows, made with the current parameters, to check unknown emails against. */
  #dummy(): Promise<string> {
    this.#dummyHash ??= this.#deps.hasher.hash(`no account ${randomUUID()}`);
    return this.#dummyHash;
  }
}
