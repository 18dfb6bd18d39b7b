import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { Passkey, PasskeyStore } from '../../domain/passkeys/passkey.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { accountItems, keys } from './keys.ts';

type PasskeyItem = Item & { readonly passkey: Passkey; readonly signCount: number };
type ClaimItem = Item & { readonly accountId: string };

/**
 * Passkeys under their account (deleted with it), each with a claim item by credential id (one
 * account per credential; a login finds the account by it). The counter is an attribute of its
 * own, so a login's write is conditional on the counter it read.
 */
export class DynamoPasskeyStore implements PasskeyStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async add(passkey: Passkey): Promise<void> {
    try {
      await this.#table.transact([
        {
          kind: 'create',
          item: { ...keys.passkeyClaim(passkey.credentialId), accountId: passkey.accountId },
        },
        { kind: 'create', item: this.#item(passkey) },
      ]);
    } catch (error) {
      if (error instanceof ConflictError)
        throw new ConflictError('This passkey is set up already.', {
          logDetail: 'passkey-claimed',
          cause: error,
        });
      throw error;
    }
  }

  async forAccount(accountId: string): Promise<Passkey[]> {
    const items = await this.#table.queryPartition<PasskeyItem>(
      keys.account(accountId).pk,
      accountItems.passkey,
    );
    return items.map((item) => item.passkey).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async find(credentialId: string): Promise<Passkey | undefined> {
    const claim = await this.#table.get<ClaimItem>(keys.passkeyClaim(credentialId));
    if (!claim) return undefined;
    return (await this.#table.get<PasskeyItem>(keys.passkey(claim.accountId, credentialId)))?.passkey;
  }

  async recordUse(
    credentialId: string,
    use: {
      readonly expectedSignCount: number;
      readonly signCount: number;
      readonly backedUp: boolean;
      readonly at: string;
    },
  ): Promise<boolean> {
    const passkey = await this.find(credentialId);
    if (!passkey) return false;
    const used: Passkey = {
      ...passkey,
      signCount: use.signCount,
      backedUp: use.backedUp,
      lastUsedAt: use.at,
    };
    try {
      await this.#table.update(
        keys.passkey(passkey.accountId, credentialId),
        { passkey: used, signCount: use.signCount },
        { signCount: use.expectedSignCount },
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async rename(accountId: string, credentialId: string, name: string): Promise<void> {
    const item = await this.#table.get<PasskeyItem>(keys.passkey(accountId, credentialId));
    if (!item) throw new NotFoundError('No such passkey.');
    // On the counter read, so a login at the same moment is not undone.
    await this.#table.update(
      keys.passkey(accountId, credentialId),
      { passkey: { ...item.passkey, name } },
      { signCount: item.signCount },
    );
  }

  async remove(accountId: string, credentialId: string): Promise<void> {
    const item = await this.#table.get<PasskeyItem>(keys.passkey(accountId, credentialId));
    if (!item) throw new NotFoundError('No such passkey.');
    await this.#table.transact([
      { kind: 'delete', key: keys.passkey(accountId, credentialId) },
      { kind: 'delete', key: keys.passkeyClaim(credentialId), matching: { accountId } },
    ]);
  }

  #item(passkey: Passkey): PasskeyItem {
    return {
      ...keys.passkey(passkey.accountId, passkey.credentialId),
      passkey,
      signCount: passkey.signCount,
    };
  }
}
