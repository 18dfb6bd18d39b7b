import type { KnownPhoneNumbers } from './known-phone-numbers.ts';
import type { Limits } from './limits.ts';
import { networkOf } from './network.ts';
import { countInOrder, type OrderedCap } from './ordered-caps.ts';
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
   * new to the service) the new-number ceiling, and throws TooManyAttemptsError naming the first
   * that is used up, with when it ends. Call it before handing the text to the SMS provider, and
   * pass what it returns to `recordSent` once the provider has taken the text. A text refused by
   * a cap is not counted against the caps after it, and still counts against the ones before it
   * (it was asked for), as CodeSendThrottle does. `earlier`: caps that come before these (a
   * code's send caps), counted first.
   */
  async reserve(request: TextMessageRequest, earlier: readonly OrderedCap[] = []): Promise<TextReservation> {
    // The caps are counted (in order) while the number is looked up; the ceiling only after both.
    const [, known] = await Promise.all([
      countInOrder(this.#rateLimiter, [...earlier, ...this.#caps(request)]),
      this.#knownNumbers.isKnown(request.phoneNumber),
    ]);
    if (known) return { newNumber: false };
    const ceiling = await this.#serviceCounter.hit(this.#newNumberRule);
    if (!ceiling.allowed) throw new TooManyAttemptsError('new-number-ceiling', ceiling.retryAt);
    return { newNumber: true };
  }

  #caps(request: TextMessageRequest): OrderedCap[] {
    return [
      { rule: this.#networkRule, id: networkOf(request.sourceIp), reason: 'texts-per-network' },
      { rule: this.#accountRule, id: request.accountId, reason: 'texts-per-account' },
    ];
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
