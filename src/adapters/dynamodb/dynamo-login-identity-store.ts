import type { IssuedLoginIdentity, LoginIdentityStore } from '../../domain/oidc/login-identities.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

/** The jti itself is not kept: the key holds its digest. */
type LoginIdentityItem = Item & { identity: Omit<IssuedLoginIdentity, 'idTokenJti'>; expiresAt: number };

/**
 * Issued ID tokens in the single table, by client and the digest of the jti, until the ID token
 * expires; DynamoDB's TTL deletes them after (reads ignore expired items before that).
 */
export class DynamoLoginIdentityStore implements LoginIdentityStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async record(identity: IssuedLoginIdentity, expiresAt: number): Promise<void> {
    const { idTokenJti, ...kept } = identity;
    // With the token request's audit event, in one call at its end.
    await this.#table.putLater({
      ...keys.loginIdentity(identity.clientId, idTokenJti),
      identity: kept,
      expiresAt,
    } satisfies LoginIdentityItem);
  }

  async find(clientId: string, idTokenJti: string): Promise<IssuedLoginIdentity | undefined> {
    const item = await this.#table.get<LoginIdentityItem>(keys.loginIdentity(clientId, idTokenJti));
    return item && { ...item.identity, idTokenJti };
  }
}
