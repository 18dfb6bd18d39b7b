import { NotFoundError } from '../../domain/errors.ts';
import type { StaffSession, StaffSessionStore } from '../../domain/staff/staff-sessions.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type StaffSessionItem = Item & { readonly session: StaffSession };

/** Review console sessions by the digest of their id, expiring with their timeouts (TTL, and checked on read). */
export class DynamoStaffSessionStore implements StaffSessionStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async find(idHash: string): Promise<StaffSession | undefined> {
    return (await this.#table.get<StaffSessionItem>(keys.staffSession(idHash)))?.session;
  }

  async save(idHash: string, session: StaffSession, expiresAt: number): Promise<void> {
    await this.#table.put({ ...keys.staffSession(idHash), session, expiresAt });
  }

  async delete(idHash: string): Promise<void> {
    try {
      await this.#table.delete(keys.staffSession(idHash));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
