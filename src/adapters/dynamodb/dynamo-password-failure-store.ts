import { NotFoundError } from '../../domain/errors.ts';
import type { PasswordFailureState, PasswordFailureStore } from '../../domain/limits/password-throttle.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type FailureItem = Item & { state: PasswordFailureState; version: number };

const none: PasswordFailureState = { failures: 0, lastAt: 0, sources: {} };

/**
 * One item per account key with every source's count in it, so admitting an attempt is one read
 * and one conditional write, and a right password one write. The sources are digests, never an
 * address; at most a hundred or so can build up before the hard stop.
 */
export class DynamoPasswordFailureStore implements PasswordFailureStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async read(accountKey: string): Promise<{ state: PasswordFailureState; version: number }> {
    const item = await this.#table.get<FailureItem>(keys.passwordFailures(accountKey));
    return item ? { state: item.state, version: item.version } : { state: none, version: 0 };
  }

  async write(
    accountKey: string,
    state: PasswordFailureState,
    version: number,
    expiresAt: number,
  ): Promise<boolean> {
    return this.#table.putIfVersion({ ...keys.passwordFailures(accountKey), state, expiresAt }, version);
  }

  async clear(accountKey: string): Promise<void> {
    try {
      await this.#table.delete(keys.passwordFailures(accountKey));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
