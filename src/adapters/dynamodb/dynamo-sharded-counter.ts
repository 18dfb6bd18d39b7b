import { randomInt } from 'node:crypto';
import { type Clock, epochSeconds } from '../../domain/clock.ts';
import type { RateDecision, RateRule } from '../../domain/limits/rate-limiter.ts';
import type { ServiceWideCounter } from '../../domain/limits/service-wide-counter.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type ShardItem = Item & { hits: number };

/** A whole number from 0 up to but not including `count`; injected so tests can fix the shards. */
export type ShardChooser = (count: number) => number;

export interface DynamoShardedCounterOptions {
  readonly table: DynamoTable;
  readonly clock: Clock;
  /** How many items the count is spread over (default 10). */
  readonly shards?: number;
  readonly chooseShard?: ShardChooser;
}

/**
 * A service-wide count in fixed windows aligned to the epoch, spread over N shard items. One
 * counter item would be one hot partition taking a write from every text to a new number, and
 * DynamoDB allows a partition about 1000 write units a second; shards spread those writes.
 *
 * Each shard owns a share of the limit (the shares add up to exactly the limit) and a hit counts
 * on a random shard with one UpdateItem ADD: a count within the shard's share is one of its
 * slots, so the hit is allowed after that single write (the common case). A count past the share
 * reads every shard of the window, in parallel, and takes a free slot from a shard that has one
 * (one more ADD there), so an unlucky shard does not refuse while the window has room; only when
 * every shard's share is used up is the hit refused. Every allowed hit holds a slot no other hit
 * got (ADD returns each count once), so no more than the limit are ever allowed, however many
 * hits race; counts past a share are the refused or overflowing hits and are never slots.
 * (Allowing an overflowing hit while the sum of the counts is within the limit would not be
 * exact: it spends slots of shards whose later hits still pass on their own count alone; with
 * 40 to 60 racing hits that let through 20 of 12 and 32 of 25.)
 *
 * `remaining` after the one write is what the chosen shard still has: a lower bound, since the
 * other shards are not read. After reading every shard it is the free slots that read found,
 * less the one taken.
 */
export class DynamoShardedCounter implements ServiceWideCounter {
  readonly #table: DynamoTable;
  readonly #clock: Clock;
  readonly #shards: number;
  readonly #chooseShard: ShardChooser;

  constructor(options: DynamoShardedCounterOptions) {
    const shards = options.shards ?? 10;
    if (!Number.isInteger(shards) || shards < 1) throw new Error('shards must be a positive whole number');
    this.#table = options.table;
    this.#clock = options.clock;
    this.#shards = shards;
    this.#chooseShard = options.chooseShard ?? ((count) => randomInt(count));
  }

  async hit(rule: RateRule): Promise<RateDecision> {
    const window = this.#window(rule);
    const retryAt = new Date(window.end * 1000);
    const shard = this.#choose(this.#shards);
    const hits = await this.#increment(rule, shard, window);
    const share = shareOf(rule.limit, this.#shards, shard);
    if (hits <= share) return { allowed: true, remaining: share - hits, retryAt };
    // Ends: every round either takes a slot, finds none, or finds that another hit took the slot
    // it saw free, and a window has only `limit` slots.
    for (;;) {
      const free = await this.#freeSlots(rule, window);
      const total = free.reduce((sum, slots) => sum + slots, 0);
      if (total === 0) return { allowed: false, remaining: 0, retryAt };
      const open = free.flatMap((slots, index) => (slots > 0 ? [index] : []));
      const lender = open[this.#choose(open.length)] as number;
      const lent = await this.#increment(rule, lender, window);
      if (lent <= shareOf(rule.limit, this.#shards, lender)) {
        return { allowed: true, remaining: total - 1, retryAt };
      }
    }
  }

  /** The slots each shard still has in the window, read strongly consistently and in parallel. */
  async #freeSlots(rule: RateRule, window: Window): Promise<number[]> {
    return Promise.all(
      Array.from({ length: this.#shards }, async (_, shard) => {
        const item = await this.#table.get<ShardItem>(keys.shardedCounter(rule.scope, shard, window.start));
        return Math.max(0, shareOf(rule.limit, this.#shards, shard) - (item?.hits ?? 0));
      }),
    );
  }

  #increment(rule: RateRule, shard: number, window: Window): Promise<number> {
    return this.#table.increment(keys.shardedCounter(rule.scope, shard, window.start), 'hits', 1, {
      expiresAt: window.end,
    });
  }

  #choose(count: number): number {
    const chosen = this.#chooseShard(count);
    if (!Number.isInteger(chosen) || chosen < 0 || chosen >= count)
      throw new Error(`The shard chooser gave ${chosen}, not a whole number below ${count}`);
    return chosen;
  }

  #window(rule: RateRule): Window {
    const start = Math.floor(epochSeconds(this.#clock()) / rule.windowSeconds) * rule.windowSeconds;
    return { start, end: start + rule.windowSeconds };
  }
}

interface Window {
  readonly start: number;
  readonly end: number;
}

/** A shard's slots: the limit split as evenly as it goes, the first `limit % shards` shards one more. */
const shareOf = (limit: number, shards: number, shard: number): number =>
  Math.floor(limit / shards) + (shard < limit % shards ? 1 : 0);
