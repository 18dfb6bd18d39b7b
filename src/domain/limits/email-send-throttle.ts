import type { Limits } from './limits.ts';
import type { RateLimiter, RateRule } from './rate-limiter.ts';
import { TooManyAttemptsError } from './too-many-attempts-error.ts';

export const emailSendScopes = { address: 'link-emails-address', ip: 'link-emails-ip' } as const;

/**
 * Caps on emails anyone can make us send (confirmation and reset links), so nobody can flood a
 * mailbox or our sending reputation. Past the per-address cap nothing more is sent to it, silently,
 * so the page still gives nothing away; past the per-IP cap the request is refused.
 */
export class EmailSendThrottle {
  readonly #rateLimiter: RateLimiter;
  readonly #addressRule: RateRule;
  readonly #ipRule: RateRule;

  constructor(options: { rateLimiter: RateLimiter; limits: Limits }) {
    this.#rateLimiter = options.rateLimiter;
    const windowSeconds = options.limits.linkEmailsWindowSeconds;
    this.#addressRule = {
      scope: emailSendScopes.address,
      limit: options.limits.linkEmailsPerAddress,
      windowSeconds,
    };
    this.#ipRule = { scope: emailSendScopes.ip, limit: options.limits.linkEmailsPerIp, windowSeconds };
  }

  /** Counts an email to `address` asked from `ip`: throws past the IP cap, answers false past the address cap. */
  async admit(address: string, ip: string): Promise<boolean> {
    const fromIp = await this.#rateLimiter.hit(this.#ipRule, ip);
    if (!fromIp.allowed) throw new TooManyAttemptsError('email-sends-exceeded', fromIp.retryAt);
    return (await this.#rateLimiter.hit(this.#addressRule, address)).allowed;
  }
}
