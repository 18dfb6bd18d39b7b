import type { Limits } from './limits.ts';
import { networkOf } from './network.ts';
import type { RateLimiter, RateRule } from './rate-limiter.ts';
import { TooManyAttemptsError } from './too-many-attempts-error.ts';

export const emailSendScopes = {
  address: 'link-emails-address',
  ip: 'link-emails-ip',
  emailChanges: 'email-changes-account',
  emailChangeTargets: 'email-changes-target',
  addressCeiling: 'link-emails-address-all',
} as const;

/**
 * Caps on emails anyone can make us send (confirmation and reset links), so nobody can flood a
 * mailbox or our sending reputation. Past the per-address cap nothing more is sent to it, silently,
 * so the page still gives nothing away; past the per-IP cap the request is refused. The per-IP cap
 * counts a network (an IPv4 address, or an IPv6 /64), so one client cannot rotate round its /64.
 */
export class EmailSendThrottle {
  readonly #rateLimiter: RateLimiter;
  readonly #addressRule: RateRule;
  readonly #ipRule: RateRule;
  readonly #emailChangeRule: RateRule;
  readonly #addressCeilingRule: RateRule;
  readonly #emailChangeTargetRule: RateRule;

  constructor(options: { rateLimiter: RateLimiter; limits: Limits }) {
    this.#rateLimiter = options.rateLimiter;
    const windowSeconds = options.limits.linkEmailsWindowSeconds;
    this.#addressRule = {
      scope: emailSendScopes.address,
      limit: options.limits.linkEmailsPerAddress,
      windowSeconds,
    };
    this.#ipRule = { scope: emailSendScopes.ip, limit: options.limits.linkEmailsPerIp, windowSeconds };
    this.#emailChangeRule = {
      scope: emailSendScopes.emailChanges,
      limit: options.limits.emailChangeRequestsPerAccount,
      windowSeconds,
    };
    this.#addressCeilingRule = {
      scope: emailSendScopes.addressCeiling,
      limit: options.limits.linkEmailsPerAddressCeiling,
      windowSeconds,
    };
    this.#emailChangeTargetRule = {
      scope: emailSendScopes.emailChangeTargets,
      limit: options.limits.linkEmailsPerAddress,
      windowSeconds,
    };
  }

  /**
   * Counts an email to `address` asked from `ip` by someone not logged in (a registration, a reset,
   * an unlock): throws past the network's cap, answers false past the address's cap from that
   * network, or past the address's ceiling across networks unless asked from one of the account's
   * known networks. The address is counted per asking network, and the ceiling never holds back the
   * account's own networks, so nobody can use up an address's emails from elsewhere and starve the
   * patient's own reset or unlock link; the flood many networks can send an inbox is capped too.
   */
  async admit(address: string, ip: string, options: { fromKnownNetwork?: boolean } = {}): Promise<boolean> {
    const network = networkOf(ip);
    const fromIp = await this.#rateLimiter.hit(this.#ipRule, network);
    if (!fromIp.allowed) throw new TooManyAttemptsError('email-sends-exceeded', fromIp.retryAt);
    const fromThisNetwork = await this.#rateLimiter.hit(this.#addressRule, `${address} from ${network}`);
    // The ceiling across networks bounds a flood from many; the account's own networks are never held by it.
    const overall = await this.#rateLimiter.hit(this.#addressCeilingRule, address);
    return fromThisNetwork.allowed && (overall.allowed || options.fromKnownNetwork === true);
  }

  /**
   * Counts a change of email address an account asks for, to `address` from `ip`: capped per
   * network, per account and per target address, each refusal a TooManyAttemptsError. The patient
   * is logged in and asked for it, so the target's cap is said, not silent, and counted across
   * networks (a logged-in account flooding an outside inbox is what this cap is for).
   */
  async admitEmailChange(accountId: string, address: string, ip: string): Promise<void> {
    const fromIp = await this.#rateLimiter.hit(this.#ipRule, networkOf(ip));
    if (!fromIp.allowed) throw new TooManyAttemptsError('email-sends-exceeded', fromIp.retryAt);
    const fromAccount = await this.#rateLimiter.hit(this.#emailChangeRule, accountId);
    if (!fromAccount.allowed) throw new TooManyAttemptsError('email-change-requests', fromAccount.retryAt);
    const toAddress = await this.#rateLimiter.hit(this.#emailChangeTargetRule, address);
    if (!toAddress.allowed) throw new TooManyAttemptsError('email-address-cap', toAddress.retryAt);
  }
}
