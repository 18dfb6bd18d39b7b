import type { Limits } from './limits.ts';
import { countInOrder, type OrderedCap } from './ordered-caps.ts';
import type { RateDecision, RateLimiter, RateRule } from './rate-limiter.ts';
import { type LimitReason, TooManyAttemptsError } from './too-many-attempts-error.ts';

export const codeSendScopes = {
  account: 'code-sends-account',
  phone: 'code-sends-phone',
  confirmedPhone: 'code-sends-confirmed',
} as const;

/** Where a code goes, and whether the account has confirmed it (its own phone or email address). */
export interface CodeDestination {
  readonly address: string;
  readonly confirmed: boolean;
}

export interface CodeSendThrottleOptions {
  readonly rateLimiter: RateLimiter;
  readonly limits: Limits;
}

/**
 * Caps on sending security codes: a few per account in a short window, and daily caps per
 * destination so nobody can use us to pump texts to one number (SMS pumping). A destination not
 * yet confirmed (a number being added or changed to) and a confirmed one are counted apart: if
 * one count served both, anyone who knows a patient's number could use up its day by asking to
 * add it to accounts of their own, and keep the patient from logging in. The confirmed count can
 * only grow through accounts that confirmed the number, that is through its owner.
 */
export class CodeSendThrottle {
  readonly #rateLimiter: RateLimiter;
  readonly #accountRule: RateRule;
  readonly #phoneRule: RateRule;
  readonly #confirmedRule: RateRule;

  constructor(options: CodeSendThrottleOptions) {
    this.#rateLimiter = options.rateLimiter;
    this.#accountRule = {
      scope: codeSendScopes.account,
      limit: options.limits.codeSendsPerAccount,
      windowSeconds: options.limits.codeSendsPerAccountWindowSeconds,
    };
    this.#phoneRule = {
      scope: codeSendScopes.phone,
      limit: options.limits.codeSendsPerPhone,
      windowSeconds: options.limits.codeSendsPerPhoneWindowSeconds,
    };
    this.#confirmedRule = {
      scope: codeSendScopes.confirmedPhone,
      limit: options.limits.codeSendsPerConfirmedDestination,
      windowSeconds: options.limits.codeSendsPerPhoneWindowSeconds,
    };
  }

  #destinationRule(destination: CodeDestination): RateRule {
    return destination.confirmed ? this.#confirmedRule : this.#phoneRule;
  }

  /**
   * Throws TooManyAttemptsError when a code could not be sent now, without counting anything:
   * for refusing early, before the patient is asked for anything. When both caps are used up,
   * it names the one that lasts longer, since that is when the patient can really try again.
   */
  async checkAllowed(accountId: string, destination: CodeDestination): Promise<void> {
    const [account, phone] = await Promise.all([
      this.#rateLimiter.peek(this.#accountRule, accountId),
      this.#rateLimiter.peek(this.#destinationRule(destination), destination.address),
    ]);
    const refusals = [refusal('code-sends-exceeded', account), refusal('phone-daily-cap', phone)]
      .filter((error) => error !== undefined)
      .sort((a, b) => b.retryAt.getTime() - a.retryAt.getTime());
    if (refusals[0]) throw refusals[0];
  }

  /**
   * Counts a send against both caps, atomically, and throws TooManyAttemptsError when either is
   * used up (also when a concurrent request took the last one). Call it before handing the code
   * to the SMS sender. A send refused by the phone cap still counts against the account.
   */
  async reserve(accountId: string, destination: CodeDestination): Promise<void> {
    await countInOrder(this.#rateLimiter, this.caps(accountId, destination));
  }

  /**
   * The refusal to show for one `reserve` (or `countInOrder` with these caps) threw: when the
   * account cap refused and the phone's day is used up as well, the phone's, since that is when
   * the patient can really try again. Costs a read only when the account cap refused.
   */
  async refusalToShow(
    given: TooManyAttemptsError,
    destination: CodeDestination,
  ): Promise<TooManyAttemptsError> {
    if (given.reason !== 'code-sends-exceeded') return given;
    const phone = await this.#rateLimiter.peek(this.#destinationRule(destination), destination.address);
    const longer = refusal('phone-daily-cap', phone);
    return longer && longer.retryAt > given.retryAt ? longer : given;
  }

  /** The caps a send counts against, in order, for counting with others in one go (`countInOrder`). */
  caps(accountId: string, destination: CodeDestination): OrderedCap[] {
    return [
      { rule: this.#accountRule, id: accountId, reason: 'code-sends-exceeded' },
      { rule: this.#destinationRule(destination), id: destination.address, reason: 'phone-daily-cap' },
    ];
  }
}

const refusal = (
  reason: LimitReason,
  decision: RateDecision | undefined,
): TooManyAttemptsError | undefined =>
  decision === undefined || decision.allowed ? undefined : new TooManyAttemptsError(reason, decision.retryAt);
