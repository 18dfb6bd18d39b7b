import { NotFoundError } from '../../domain/errors.ts';
import type { Lockouts } from '../../domain/limits/lockouts.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

/** A lock is an item that expires when the lock ends: present and unexpired means locked. */
export class DynamoLockouts implements Lockouts {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async lock(scope: string, id: string, until: Date): Promise<void> {
    // Rounded up to the second, so a lock never ends early.
    await this.#table.put({ ...keys.lockout(scope, id), expiresAt: Math.ceil(until.getTime() / 1000) });
  }

  async lockedUntil(scope: string, id: string): Promise<Date | undefined> {
    const item = await this.#table.get<Item & { expiresAt: number }>(keys.lockout(scope, id));
    return item && new Date(item.expiresAt * 1000);
  }

  async clear(scope: string, id: string): Promise<void> {
    try {
      await this.#table.delete(keys.lockout(scope, id));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
