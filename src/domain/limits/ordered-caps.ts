import type { RateLimiter, RateRule } from './rate-limiter.ts';
import { type LimitReason, TooManyAttemptsError } from './too-many-attempts-error.ts';

/** One cap of several that an event is counted against, in the order they apply. */
export interface OrderedCap {
  readonly rule: RateRule;
  readonly id: string;
  /** What a refusal by this cap is called. */
  readonly reason: LimitReason;
}

/**
 * Counts one event against caps that apply in order, one after another, and throws
 * TooManyAttemptsError for the first that refuses it: the event counts against that cap and the
 * ones before it (it was asked for), never against the caps after it. One after another, not all
 * at once: counting a burst against every cap at once and taking back the counts of refused
 * events would let a burst on one cap push events past another that should have gone through.
 */
export const countInOrder = async (limiter: RateLimiter, caps: readonly OrderedCap[]): Promise<void> => {
  for (const cap of caps) {
    const decision = await limiter.hit(cap.rule, cap.id);
    if (!decision.allowed) throw new TooManyAttemptsError(cap.reason, decision.retryAt);
  }
};
