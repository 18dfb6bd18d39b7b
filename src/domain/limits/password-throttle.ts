import type { Clock } from '../clock.ts';
import type { Limits } from './limits.ts';
import type { Lockouts } from './lockouts.ts';
import type { RateLimiter, RateRule } from './rate-limiter.ts';
import { TooManyAttemptsError } from './too-many-attempts-error.ts';

export const passwordScopes = { account: 'password-account', ip: 'password-ip' } as const;

export interface PasswordThrottleOptions {
  readonly rateLimiter: RateLimiter;
  readonly lockouts: Lockouts;
  readonly clock: Clock;
  readonly limits: Limits;
}

/**
 * The password policy: an account is locked after too many wrong passwords, and an IP address
 * with too many failures is refused for the rest of its window. The account key should be a hash
 * of the normalised email, so an unknown email is throttled exactly like a known one.
 */
export class PasswordThrottle {
  readonly #rateLimiter: RateLimiter;
  readonly #lockouts: Lockouts;
  readonly #clock: Clock;
  readonly #lockoutSeconds: number;
  readonly #accountRule: RateRule;
  readonly #ipRule: RateRule;

  constructor(options: PasswordThrottleOptions) {
    this.#rateLimiter = options.rateLimiter;
    this.#lockouts = options.lockouts;
    this.#clock = options.clock;
    this.#lockoutSeconds = options.limits.passwordLockoutSeconds;
    this.#accountRule = {
      scope: passwordScopes.account,
      limit: options.limits.passwordFailuresPerAccount,
      // Counting in windows as long as the lock means the count has started again by the time a
      // lock ends, without a reset that parallel attempts racing the lock could slip through.
      windowSeconds: options.limits.passwordLockoutSeconds,
    };
    this.#ipRule = {
      scope: passwordScopes.ip,
      limit: options.limits.passwordFailuresPerIp,
      windowSeconds: options.limits.passwordFailuresPerIpWindowSeconds,
    };
  }

  /**
   * Call before checking a password. Throws TooManyAttemptsError when the account is locked or
   * the IP address throttled. Otherwise counts the attempt against the account before the
   * password is checked (a login clears it), so a burst of parallel guesses cannot slip past
   * the limit between check and record.
   */
  async admitAttempt(accountKey: string, ip: string): Promise<void> {
    const lockedUntil = await this.#lockouts.lockedUntil(passwordScopes.account, accountKey);
    if (lockedUntil) throw new TooManyAttemptsError('password-locked', lockedUntil);
    const fromIp = await this.#rateLimiter.peek(this.#ipRule, ip);
    if (!fromIp.allowed) throw new TooManyAttemptsError('ip-throttled', fromIp.retryAt);
    const attempt = await this.#rateLimiter.hit(this.#accountRule, accountKey);
    if (!attempt.allowed) throw await this.#lock(accountKey);
  }

  /**
   * Call after a wrong password. Counts it against the IP address; when it was the account's
   * last allowed attempt, locks the account and throws TooManyAttemptsError saying until when.
   */
  async recordFailure(accountKey: string, ip: string): Promise<void> {
    await this.#rateLimiter.hit(this.#ipRule, ip);
    const account = await this.#rateLimiter.peek(this.#accountRule, accountKey);
    if (!account.allowed) throw await this.#lock(accountKey);
  }

  /** Call after a right password: the account's earlier failures no longer count. */
  async recordSuccess(accountKey: string): Promise<void> {
    await this.#rateLimiter.reset(this.#accountRule, accountKey);
  }

  async #lock(accountKey: string): Promise<TooManyAttemptsError> {
    const until = new Date(this.#clock().getTime() + this.#lockoutSeconds * 1000);
    await this.#lockouts.lock(passwordScopes.account, accountKey, until);
    return new TooManyAttemptsError('password-locked', until);
  }
}
