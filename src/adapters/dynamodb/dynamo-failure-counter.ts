import { type Clock, epochSeconds } from '../../domain/clock.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { FailureCounter } from '../../domain/limits/failure-counter.ts';
import type { DynamoTable } from './dynamo-table.ts';
import { keys } from './keys.ts';

/** One item per key, counted with UpdateItem ADD; every failure pushes its expiry out again. */
export class DynamoFailureCounter implements FailureCounter {
  readonly #table: DynamoTable;
  readonly #clock: Clock;

  constructor(options: { table: DynamoTable; clock: Clock }) {
    this.#table = options.table;
    this.#clock = options.clock;
  }

  async add(scope: string, id: string, memorySeconds: number): Promise<number> {
    return this.#table.increment(keys.failures(scope, id), 'failures', 1, {
      expiresAt: epochSeconds(this.#clock()) + memorySeconds,
      renewExpiry: true,
    });
  }

  async clear(scope: string, id: string): Promise<void> {
    try {
      await this.#table.delete(keys.failures(scope, id));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
