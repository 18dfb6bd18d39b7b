import { createHash } from 'node:crypto';
import { verify as verifyTotp } from 'otplib';
import type { Clock } from '../clock.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { DomainError } from '../errors.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { FailureCounter } from '../limits/failure-counter.ts';
import type { Limits } from '../limits/limits.ts';
import type { Lockouts } from '../limits/lockouts.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
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

/** The authenticator codes accepted either side of now: one 30-second step, for a phone's clock drift. */
const CLOCK_DRIFT_SECONDS = 30;

export const normaliseStaffEmail = (email: string): string => email.trim().toLowerCase();

export interface StaffLoginDependencies {
  readonly staff: StaffAccountStore;
  readonly hasher: PasswordHasher;
  readonly secrets: Pick<SecretBox, 'open'>;
  readonly failures: FailureCounter;
  readonly lockouts: Lockouts;
  readonly audit: StaffAuditLog;
  readonly clock: Clock;
  readonly limits: Pick<Limits, 'staffLoginAttempts' | 'staffLoginLockoutSeconds'>;
}

/**
 * The review console's login: a password, then a code from the authenticator app (TOTP). Wrong
 * passwords and codes count together, per address, and lock the login for a while; each code is
 * taken once (its time step is recorded); every success and failure is an audit event.
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
    await this.#refuseIfLocked(email);
    const account = await this.#deps.staff.findByEmail(email);
    this.#decoy ??= this.#deps.hasher.hash('not a staff password');
    const passwordMatches = await this.#deps.hasher.verify(
      account?.passwordHash ?? (await this.#decoy),
      password,
    );
    if (!account || account.disabled || !passwordMatches) {
      await this.#failed(email, account, 'wrong-password', sourceIp);
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
    await this.#refuseIfLocked(account.email);
    const secret = await this.#deps.secrets.open(
      account.sealedTotpSecret,
      totpSecretContext(account.staffId),
    );
    const token = code.replace(/\s/g, '');
    const result = /^\d{6}$/.test(token)
      ? await verifyTotp({
          secret,
          token,
          epoch: Math.floor(this.#deps.clock().getTime() / 1000),
          epochTolerance: CLOCK_DRIFT_SECONDS,
          ...(account.lastTotpStep !== undefined ? { afterTimeStep: account.lastTotpStep } : {}),
        })
      : { valid: false as const };
    const step = result.valid && 'timeStep' in result ? result.timeStep : undefined;
    const accepted = step !== undefined && (await this.#deps.staff.acceptTotpStep(account.staffId, step));
    if (!accepted) {
      await this.#failed(account.email, account, result.valid ? 'code-reused' : 'wrong-code', sourceIp);
      throw new StaffLoginRefusedError('The code is not right.', {
        logDetail: result.valid ? 'code-reused' : 'wrong-code',
      });
    }
    await this.#deps.failures.clear(LOCK_SCOPE, loginKey(account.email));
    await this.#deps.audit.record({
      staffId: account.staffId,
      type: 'staff-logged-in',
      at: this.#deps.clock().toISOString(),
      sourceIp,
    });
    return account;
  }

  async #refuseIfLocked(email: string): Promise<void> {
    const until = await this.#deps.lockouts.lockedUntil(LOCK_SCOPE, loginKey(email));
    if (until) throw new TooManyAttemptsError('staff-login-locked', until);
  }

  async #failed(
    email: string,
    account: StaffAccount | undefined,
    detail: string,
    sourceIp: string,
  ): Promise<void> {
    const { limits, clock } = this.#deps;
    const failures = await this.#deps.failures.add(
      LOCK_SCOPE,
      loginKey(email),
      limits.staffLoginLockoutSeconds,
    );
    const locked = failures >= limits.staffLoginAttempts;
    if (account)
      await this.#deps.audit.record({
        staffId: account.staffId,
        type: locked ? 'staff-login-locked' : 'staff-login-failed',
        at: clock().toISOString(),
        sourceIp,
        detail,
      });
    if (!locked) return;
    const until = new Date(clock().getTime() + limits.staffLoginLockoutSeconds * 1000);
    await this.#deps.lockouts.lock(LOCK_SCOPE, loginKey(email), until);
    await this.#deps.failures.clear(LOCK_SCOPE, loginKey(email));
    throw new TooManyAttemptsError('staff-login-locked', until);
  }
}
