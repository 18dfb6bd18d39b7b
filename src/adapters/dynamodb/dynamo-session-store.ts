import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import {
  type BrowserSession,
  SessionEndedError,
  type SessionStore,
} from '../../domain/sessions/browser-session.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys, listings } from './keys.ts';

type SessionItem = Item & { session: BrowserSession };

/** A session's attributes; an authenticated one is listed under its account in gsi1. */
const sessionAttributes = (idHash: string, session: BrowserSession, expiresAt: number) => {
  const accountId = session.authentication?.accountId;
  return {
    session,
    expiresAt,
    ...(accountId ? { gsi1pk: listings.accountSessions(accountId), gsi1sk: idHash } : {}),
  };
};

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
    const attributes = sessionAttributes(idHash, session, expiresAt);
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

  async replace(
    oldIdHash: string | undefined,
    idHash: string,
    session: BrowserSession,
    expiresAt: number,
  ): Promise<void> {
    const item = { ...keys.session(idHash), ...sessionAttributes(idHash, session, expiresAt) };
    if (!oldIdHash) {
      await this.#table.create(item);
      return;
    }
    // One call: the new id works from the moment the old one stops.
    await this.#table.transact([
      { kind: 'delete', key: keys.session(oldIdHash) },
      { kind: 'create', item },
    ]);
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
