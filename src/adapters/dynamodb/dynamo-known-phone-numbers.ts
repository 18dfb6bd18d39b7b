import { type Clock, epochSeconds } from '../../domain/clock.ts';
import type { KnownPhoneNumbers } from '../../domain/limits/known-phone-numbers.ts';
import type { DynamoTable } from './dynamo-table.ts';
import { keys } from './keys.ts';

/** About 13 months: a number texted once long ago counts as new again after it. */
export const knownPhoneNumberLifetimeSeconds = 396 * 86_400;

/**
 * A known number is an item under the number's digest that expires a while after it was
 * remembered; the item holds nothing but its key and expiry, so the number is never stored.
 */
export class DynamoKnownPhoneNumbers implements KnownPhoneNumbers {
  readonly #table: DynamoTable;
  readonly #clock: Clock;
  readonly #lifetimeSeconds: number;

  constructor(options: { table: DynamoTable; clock: Clock; lifetimeSeconds?: number }) {
    this.#table = options.table;
    this.#clock = options.clock;
    this.#lifetimeSeconds = options.lifetimeSeconds ?? knownPhoneNumberLifetimeSeconds;
  }

  async isKnown(e164: string): Promise<boolean> {
    // A stale answer only takes a number remembered a moment ago for new: one more count against
    // the new-number ceiling, never a text refused that should go.
    return (await this.#table.get(keys.knownPhoneNumber(e164), { consistent: false })) !== undefined;
  }

  async remember(e164: string): Promise<void> {
    await this.#table.put({
      ...keys.knownPhoneNumber(e164),
      expiresAt: epochSeconds(this.#clock()) + this.#lifetimeSeconds,
    });
  }
}
