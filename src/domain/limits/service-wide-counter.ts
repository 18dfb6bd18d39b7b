import type { RateDecision, RateRule } from './rate-limiter.ts';

/**
 * Counts events against a service-wide rule (one count for the whole service, so no id) in fixed
 * windows, exactly under concurrency.
 */
export interface ServiceWideCounter {
  /** Counts one event in the rule's current window and says whether it was within the limit. */
  hit(rule: RateRule): Promise<RateDecision>;
}
