import type { KnownPhoneNumbers } from './known-phone-numbers.ts';
import type { Limits } from './limits.ts';
import { networkOf } from './network.ts';
import type { RateLimiter, RateRule } from './rate-limiter.ts';
import type { ServiceWideCounter } from './service-wide-counter.ts';
import { TooManyAttemptsError } from './too-many-attempts-error.ts';

export const textMessageScopes = {
  network: 'texts-network',
  account: 'texts-account',
  newNumbers: 'new-number-texts',
} as const;

export interface TextMessageCapsOptions {
  readonly rateLimiter: RateLimiter;
  readonly knownNumbers: KnownPhoneNumbers;
  readonly serviceCounter: ServiceWideCounter;
  readonly limits: Limits;
}

/** A text message about to be handed to the SMS provider. */
export interface TextMessageRequest {
  readonly accountId: string;
  /** The number it goes to, in E.164. */
  readonly phoneNumber: string;
  /** The client's address; counted by its network (`networkOf`: the IPv4 address, or the IPv6 /64). */
  readonly sourceIp: string;
}

/** What `reserve` found, for `recordSent`: whether the service had never texted the number before. */
export interface TextReservation {
  readonly newNumber: boolean;
}

/**
 * Caps on text messages against SMS pumping (one network creating accounts and texting many
 * numbers): a few an hour per network, a few a day per account, and a service-wide ceiling an
 * hour on texts to numbers the service has never texted before. The ceiling stops only texts to
 * new numbers: during an attack, patients whose numbers the service already knows keep getting
 * their codes, while pumping (which needs fresh numbers) stops within the hour's allowance.
 */
export class TextMessageCaps {
  readonly #rateLimiter: RateLimiter;
  readonly #knownNumbers: KnownPhoneNumbers;
  readonly #serviceCounter: ServiceWideCounter;
  readonly #networkRule: RateRule;
  readonly #accountRule: RateRule;
  readonly #newNumberRule: RateRule;

  constructor(options: TextMessageCapsOptions) {
    this.#rateLimiter = options.rateLimiter;
    this.#knownNumbers = options.knownNumbers;
    this.#serviceCounter = options.serviceCounter;
    this.#networkRule = {
      scope: textMessageScopes.network,
      limit: options.limits.textsPerNetwork,
      windowSeconds: options.limits.textsPerNetworkWindowSeconds,
    };
    this.#accountRule = {
      scope: textMessageScopes.account,
      limit: options.limits.textsPerAccount,
      windowSeconds: options.limits.textsPerAccountWindowSeconds,
    };
    this.#newNumberRule = {
      scope: textMessageScopes.newNumbers,
      limit: options.limits.newNumberTexts,
      windowSeconds: options.limits.newNumberTextsWindowSeconds,
    };
  }

  /**
   * Counts one text against the network cap, then the account cap, then (only when the number is
   * new to the service) the new-number ceiling, each atomically, and throws TooManyAttemptsError
   * naming the first that is used up, with when it ends. Call it before handing the text to the
   * SMS provider, and pass what it returns to `recordSent` once the provider has taken the text.
   * Each cap is counted only once the earlier ones allowed the text, and a text refused by a
   * later cap still counts against the earlier ones (it was asked for), as CodeSendThrottle does.
   */
  async reserve(request: TextMessageRequest): Promise<TextReservation> {
    const network = await this.#rateLimiter.hit(this.#networkRule, networkOf(request.sourceIp));
    if (!network.allowed) throw new TooManyAttemptsError('texts-per-network', network.retryAt);
    const account = await this.#rateLimiter.hit(this.#accountRule, request.accountId);
    if (!account.allowed) throw new TooManyAttemptsError('texts-per-account', account.retryAt);
    if (await this.#knownNumbers.isKnown(request.phoneNumber)) return { newNumber: false };
    const ceiling = await this.#serviceCounter.hit(this.#newNumberRule);
    if (!ceiling.allowed) throw new TooManyAttemptsError('new-number-ceiling', ceiling.retryAt);
    return { newNumber: true };
  }

  /**
   * Remembers the number as one the service has texted, once the provider has taken the text.
   * Given the reservation `reserve` returned, it writes only when the number was new: a text to a
   * known number (the usual case) then costs one read here, where writing every time would add a
   * write to every text. Without one it writes anyway (never wrong, one write more). The cost of
   * writing only for new numbers: a number is remembered for a fixed time from when it was new,
   * not from its last text, so a number in regular use counts once against the ceiling each time
   * that time runs out.
   */
  async recordSent(phoneNumber: string, reservation: TextReservation = { newNumber: true }): Promise<void> {
    if (reservation.newNumber) await this.#knownNumbers.remember(phoneNumber);
  }
}
