import type { Clock } from '../../domain/clock.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { ClientMetadataStore } from '../../domain/oidc/client-metadata.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type ClientMetadataItem = Item & { clientUserMetadata: string; updatedAt: string };

/**
 * Client user metadata, one item per account and client under the account's partition, so
 * deleting the account deletes it. A write requires the account item in the same transaction,
 * so nothing is written for an account deleted meanwhile.
 */
export class DynamoClientMetadataStore implements ClientMetadataStore {
  readonly #table: DynamoTable;
  readonly #clock: Clock;

  constructor(options: { table: DynamoTable; clock: Clock }) {
    this.#table = options.table;
    this.#clock = options.clock;
  }

  async find(accountId: string, clientId: string): Promise<string | undefined> {
    const item = await this.#table.get<ClientMetadataItem>(keys.clientMetadata(accountId, clientId));
    return item?.clientUserMetadata;
  }

  async save(accountId: string, clientId: string, value: string): Promise<void> {
    await this.#table.transact([
      { kind: 'require', key: keys.account(accountId) },
      {
        kind: 'put',
        item: {
          ...keys.clientMetadata(accountId, clientId),
          clientUserMetadata: value,
          updatedAt: this.#clock().toISOString(),
        } satisfies ClientMetadataItem,
      },
    ]);
  }

  async createIfAbsent(accountId: string, clientId: string, value: string): Promise<string | undefined> {
    try {
      await this.#table.transact([
        { kind: 'require', key: keys.account(accountId) },
        {
          kind: 'create',
          item: {
            ...keys.clientMetadata(accountId, clientId),
            clientUserMetadata: value,
            updatedAt: this.#clock().toISOString(),
          } satisfies ClientMetadataItem,
        },
      ]);
      return value;
    } catch (error) {
      // Another request created it first (or the account has gone): what is kept now is the answer.
      if (error instanceof ConflictError) return this.find(accountId, clientId);
      throw error;
    }
  }
}
