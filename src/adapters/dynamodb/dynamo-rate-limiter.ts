import { type Clock, epochSeconds } from '../../domain/clock.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { RateDecision, RateLimiter, RateRule } from '../../domain/limits/rate-limiter.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type CounterItem = Item & { hits: number };

/**
 * Fixed windows aligned to the epoch (a day's window ends at midnight UTC): one counter item per
 * key and window, counted with UpdateItem ADD and expiring when its window ends.
 */
export class DynamoRateLimiter implements RateLimiter {
  readonly #table: DynamoTable;
  readonly #clock: Clock;

  constructor(options: { table: DynamoTable; clock: Clock }) {
    this.#table = options.table;
    this.#clock = options.clock;
  }

  async hit(rule: RateRule, id: string): Promise<RateDecision> {
    const window = this.#window(rule);
    const hits = await this.#table.increment(keys.counter(rule.scope, id, window.start), 'hits', 1, {
      expiresAt: window.end,
    });
    return decide(rule, hits, hits <= rule.limit, window.end);
  }

  async peek(rule: RateRule, id: string): Promise<RateDecision> {
    const window = this.#window(rule);
    const item = await this.#table.get<CounterItem>(keys.counter(rule.scope, id, window.start));
    const hits = item?.hits ?? 0;
    return decide(rule, hits, hits < rule.limit, window.end);
  }

  async reset(rule: RateRule, id: string): Promise<void> {
    try {
      await this.#table.delete(keys.counter(rule.scope, id, this.#window(rule).start));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  #window(rule: RateRule): { start: number; end: number } {
    const start = Math.floor(epochSeconds(this.#clock()) / rule.windowSeconds) * rule.windowSeconds;
    return { start, end: start + rule.windowSeconds };
  }
}

const decide = (rule: RateRule, hits: number, allowed: boolean, windowEnd: number): RateDecision => ({
  allowed,
  remaining: Math.max(0, rule.limit - hits),
  retryAt: new Date(windowEnd * 1000),
});
