import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import {
  type BrowserSession,
  SessionEndedError,
  type SessionStore,
} from '../../domain/sessions/browser-session.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys, listings } from './keys.ts';

type SessionItem = Item & { session: BrowserSession };

/** Browser sessions by the digest of their id; authenticated ones are listed per account in gsi1. */
export class DynamoSessionStore implements SessionStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async find(idHash: string): Promise<BrowserSession | undefined> {
    return (await this.#table.get<SessionItem>(keys.session(idHash)))?.session;
  }

  async save(idHash: string, session: BrowserSession, expiresAt: number, isNew: boolean): Promise<void> {
    const accountId = session.authentication?.accountId;
    const attributes = {
      session,
      expiresAt,
      ...(accountId ? { gsi1pk: listings.accountSessions(accountId), gsi1sk: idHash } : {}),
    };
    if (isNew) {
      await this.#table.create({ ...keys.session(idHash), ...attributes });
      return;
    }
    try {
      await this.#table.update(keys.session(idHash), attributes);
    } catch (error) {
      if (error instanceof ConflictError) throw new SessionEndedError('The session has ended.');
      throw error;
    }
  }

  async delete(idHash: string): Promise<void> {
    try {
      await this.#table.delete(keys.session(idHash));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  async deleteForAccount(accountId: string): Promise<void> {
    const sessions = await this.#table.queryIndex<SessionItem>('gsi1', listings.accountSessions(accountId));
    await this.#table.deleteAll(sessions.map((item) => ({ pk: item.pk, sk: item.sk })));
  }
}
