/** A limit on how often something may happen: `limit` events per fixed window of `windowSeconds`. */
export interface RateRule {
  /** What is counted, e.g. `password-ip`; the same id counts separately in each scope. */
  readonly scope: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

/** Where a key stands against its rule in the current window. */
export interface RateDecision {
  /** After `hit`: whether this event was within the limit. After `peek`: whether one more would be. */
  readonly allowed: boolean;
  /** Events the rule still allows in this window. */
  readonly remaining: number;
  /** When the window ends and counting starts again: when to try again if not allowed. */
  readonly retryAt: Date;
}

/** Counts events per key in fixed windows, atomically, so concurrent requests are counted exactly. */
export interface RateLimiter {
  /** Counts one event for `id` and says whether it was within the rule. */
  hit(rule: RateRule, id: string): Promise<RateDecision>;
  /** Says whether one more event for `id` would be within the rule, without counting it. */
  peek(rule: RateRule, id: string): Promise<RateDecision>;
  /** Forgets the events counted for `id` in the current window (e.g. failures, after a login). */
  reset(rule: RateRule, id: string): Promise<void>;
}
