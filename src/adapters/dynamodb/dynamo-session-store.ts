import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import {
  type BrowserSession,
  type SessionAuthentication,
  SessionEndedError,
  type SessionStore,
} from '../../domain/sessions/browser-session.ts';
import type { DynamoTable, Item, TransactionWrite } from './dynamo-table.ts';
import { keys, listings } from './keys.ts';

type SessionItem = Item & { session: BrowserSession };

/** A session's attributes; an authenticated one is listed under its account in the sessions index. */
const sessionAttributes = (idHash: string, session: BrowserSession, expiresAt: number) => {
  const accountId = session.authentication?.accountId;
  return {
    session,
    expiresAt,
    ...(accountId ? { gsi2pk: listings.accountSessions(accountId), gsi2sk: idHash } : {}),
  };
};

/** Browser sessions by the digest of their id; authenticated ones are listed per account in the sessions index. */
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
    const write: TransactionWrite = isNew
      ? { kind: 'create', item: { ...keys.session(idHash), ...attributes } }
      : { kind: 'update', key: keys.session(idHash), attributes };
    try {
      await this.#write([write]);
    } catch (error) {
      if (!isNew && error instanceof ConflictError) throw new SessionEndedError('The session has ended.');
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
    // One call: the new id works from the moment the old one stops.
    await this.#write([
      ...(oldIdHash ? [{ kind: 'delete' as const, key: keys.session(oldIdHash) }] : []),
      { kind: 'create', item },
    ]);
  }

  /**
   * The session's writes with the puts the request deferred (its audit events, `putLater`), in
   * one call: a single write alone as itself, several as one transaction. Should it fail, the
   * deferred puts are still made.
   */
  async #write(writes: readonly TransactionWrite[]): Promise<void> {
    const taken = this.#table.takeCollected();
    // A transaction holds at most 100 writes: past that, the items go in a batch of their own.
    const [alongside, apart] = taken.length + writes.length > 100 ? [[], taken] : [taken, []];
    if (apart.length > 0) await this.#table.putAll(apart);
    const all = [...writes, ...alongside.map((item) => ({ kind: 'put' as const, item }))];
    try {
      if (all.length > 1) await this.#table.transact(all);
      else await this.#single(writes[0] as TransactionWrite);
    } catch (error) {
      if (alongside.length > 0) await this.#table.putAll(alongside);
      throw error;
    }
  }

  async #single(write: TransactionWrite): Promise<void> {
    if (write.kind === 'create') await this.#table.create(write.item);
    else if (write.kind === 'update') await this.#table.update(write.key, write.attributes);
    else throw new Error(`A session is not written with ${write.kind}.`);
  }

  async delete(idHash: string): Promise<void> {
    try {
      await this.#table.delete(keys.session(idHash));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  async deleteForDevice(accountId: string, deviceId: string): Promise<void> {
    await this.#deleteWhere(accountId, (authentication) => authentication?.deviceId === deviceId);
  }

  async deleteForPasskey(accountId: string, credentialId: string): Promise<void> {
    await this.#deleteWhere(accountId, (authentication) => authentication?.passkeyId === credentialId);
  }

  async #deleteWhere(
    accountId: string,
    madeWith: (authentication: SessionAuthentication | undefined) => boolean,
  ): Promise<void> {
    // The index holds keys only: each of the account's sessions (a handful) is read to see its login.
    const listed = await this.#table.queryIndex<Item>('sessions', listings.accountSessions(accountId));
    const sessions = await Promise.all(listed.map(({ pk, sk }) => this.#table.get<SessionItem>({ pk, sk })));
    const matching = sessions.filter((item) => item !== undefined && madeWith(item.session.authentication));
    await this.#table.deleteAll(
      matching.map((item) => ({ pk: (item as SessionItem).pk, sk: (item as SessionItem).sk })),
    );
  }

  async deleteForAccount(accountId: string): Promise<void> {
    // gsi1 too, for sessions written before they had an index of their own: until those have
    // ended (sessionAbsoluteSeconds, 12 hours, after the release that added it). A session missed
    // here is refused anyway once the account's session generation has moved on.
    const listed = await Promise.all(
      (['sessions', 'gsi1'] as const).map((index) =>
        this.#table.queryIndex<Item>(index, listings.accountSessions(accountId)),
      ),
    );
    await this.#table.deleteAll(listed.flat().map((item) => ({ pk: item.pk, sk: item.sk })));
  }
}
