import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { DomainError } from '../errors.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { FailureCounter } from '../limits/failure-counter.ts';
import type { Limits } from '../limits/limits.ts';
import type { Lockouts } from '../limits/lockouts.ts';
import { networkOf } from '../limits/network.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
import { totpStepOf } from '../second-factors/totp.ts';
import { type StaffAccount, type StaffAccountStore, totpSecretContext } from './staff-account.ts';
import type { StaffAuditLog } from './staff-audit.ts';

/**
 * The password or the code was not right, the account is disabled, or there is none: one answer
 * for all, so the login page never says which (nor whether an address has an account).
 */
export class StaffLoginRefusedError extends DomainError {
  readonly code = 'staff_login_refused';
  readonly status = 401;
}

const LOCK_SCOPE = 'staff-login';

/** The lockout and failure key of an address: a digest, so the counter items never hold it. */
const loginKey = (email: string) => createHash('sha256').update(email).digest('base64url');

export const normaliseStaffEmail = (email: string): string => email.trim().toLowerCase();

export interface StaffLoginDependencies {
  readonly staff: StaffAccountStore;
  readonly hasher: PasswordHasher;
  readonly secrets: Pick<SecretBox, 'open'>;
  readonly failures: FailureCounter;
  readonly lockouts: Lockouts;
  readonly audit: StaffAuditLog;
  readonly clock: Clock;
  readonly limits: Pick<
    Limits,
    'staffLoginAttempts' | 'staffLoginAttemptsFromAnywhere' | 'staffLoginLockoutSeconds'
  >;
}

/**
 * The review console's login: a password, then a code from the authenticator app (TOTP). Every
 * attempt counts, before it is checked, per address and network and per address from anywhere,
 * until a login completes; past a limit the login locks for a while. Each code is taken once (its
 * time step is recorded); every success and failure is an audit event.
 */
export class StaffLogin {
  readonly #deps: StaffLoginDependencies;
  /** A hash to check unknown addresses against, so they take as long as known ones. */
  #decoy: Promise<string> | undefined;

  constructor(deps: StaffLoginDependencies) {
    this.#deps = deps;
  }

  /** The first step: the account whose password this is, which must now give its code. */
  async checkPassword(emailGiven: string, password: string, sourceIp: string): Promise<StaffAccount> {
    const email = normaliseStaffEmail(emailGiven);
    const account = await this.#deps.staff.findByEmail(email);
    await this.#admit(email, account, sourceIp);
    this.#decoy ??= this.#deps.hasher.hash('not a staff password');
    const passwordMatches = await this.#deps.hasher.verify(
      account?.passwordHash ?? (await this.#decoy),
      password,
    );
    if (!account || account.disabled || !passwordMatches) {
      await this.#record(
        account,
        'staff-login-failed',
        sourceIp,
        account ? 'wrong-password' : 'unknown-address',
      );
      throw new StaffLoginRefusedError('The email address or password is not right.', {
        logDetail: !account ? 'unknown' : account.disabled ? 'disabled' : 'wrong-password',
      });
    }
    return account;
  }

  /** The second step: the authenticator code of the account that gave its password. */
  async checkCode(staffId: string, code: string, sourceIp: string): Promise<StaffAccount> {
    const account = await this.#deps.staff.findById(staffId);
    if (!account || account.disabled)
      throw new StaffLoginRefusedError('The code is not right.', { logDetail: 'no-account' });
    await this.#admit(account.email, account, sourceIp);
    const secret = await this.#deps.secrets.open(
      account.sealedTotpSecret,
      totpSecretContext(account.staffId),
    );
    const step = await totpStepOf(secret, code, this.#deps.clock());
    // A code of a step taken already is refused as used (the store's write takes each step once).
    const fresh = step !== undefined && (account.lastTotpStep === undefined || step > account.lastTotpStep);
    const accepted = fresh && (await this.#deps.staff.acceptTotpStep(account.staffId, step));
    if (!accepted) {
      const why = step !== undefined ? 'code-reused' : 'wrong-code';
      await this.#record(account, 'staff-login-failed', sourceIp, why);
      throw new StaffLoginRefusedError('The code is not right.', { logDetail: why });
    }
    await Promise.all(
      this.#counters(account.email, sourceIp).map(({ key }) => this.#deps.failures.clear(LOCK_SCOPE, key)),
    );
    await this.#record(account, 'staff-logged-in', sourceIp);
    return account;
  }

  /**
   * The counters an attempt counts against: the address from this network (so a stranger cannot
   * lock a member of staff out from elsewhere), and the address from anywhere, with a higher limit
   * (an attack spread over many networks).
   */
  #counters(email: string, sourceIp: string) {
    return [
      { key: loginKey(`${email}|${networkOf(sourceIp)}`), limit: this.#deps.limits.staffLoginAttempts },
      { key: loginKey(email), limit: this.#deps.limits.staffLoginAttemptsFromAnywhere },
    ];
  }

  /**
   * Counts the attempt before it is checked, so requests in parallel cannot each get a guess past
   * the limit: every attempt counts (a full login forgets them), and one past either limit locks
   * that key, refused without a password or code being looked at.
   */
  async #admit(email: string, account: StaffAccount | undefined, sourceIp: string): Promise<void> {
    const { limits, clock, lockouts, failures } = this.#deps;
    const counters = this.#counters(email, sourceIp);
    const locks = await Promise.all(counters.map(({ key }) => lockouts.lockedUntil(LOCK_SCOPE, key)));
    const locked = locks.find((until) => until !== undefined);
    if (locked) throw new TooManyAttemptsError('staff-login-locked', locked);
    const counts = await Promise.all(
      counters.map(({ key }) => failures.add(LOCK_SCOPE, key, limits.staffLoginLockoutSeconds)),
    );
    const over = counters.filter((counter, index) => (counts[index] ?? 0) > counter.limit);
    if (over.length === 0) return;
    const until = new Date(clock().getTime() + limits.staffLoginLockoutSeconds * 1000);
    // The count is not cleared: requests already past the lock's check in parallel stay over the limit.
    await Promise.all(over.map(({ key }) => lockouts.lock(LOCK_SCOPE, key, until)));
    await this.#record(
      account,
      'staff-login-locked',
      sourceIp,
      over.includes(counters[1] as (typeof counters)[number]) ? 'from-anywhere' : 'from-this-network',
    );
    throw new TooManyAttemptsError('staff-login-locked', until);
  }

  /** An audit event; for an address with no account, one of its own (so both take the same writes). */
  async #record(
    account: StaffAccount | undefined,
    type: 'staff-logged-in' | 'staff-login-failed' | 'staff-login-locked',
    sourceIp: string,
    detail?: string,
  ): Promise<void> {
    await this.#deps.audit.record({
      staffId: account?.staffId ?? 'unknown',
      type,
      at: this.#deps.clock().toISOString(),
      sourceIp,
      ...(detail ? { detail } : {}),
    });
  }
}
