import type { ConsentStore } from '../../domain/oidc/consents.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type ConsentItem = Item & { scopes: string[]; agreedAt: string };

/** What each patient agreed to share with each service, under the account's partition. */
export class DynamoConsentStore implements ConsentStore {
  readonly #table: DynamoTable;
  readonly #now: () => Date;

  constructor(table: DynamoTable, now: () => Date) {
    this.#table = table;
    this.#now = now;
  }

  async find(accountId: string, clientId: string): Promise<readonly string[] | undefined> {
    return (await this.#table.get<ConsentItem>(keys.consent(accountId, clientId)))?.scopes;
  }

  async grant(accountId: string, clientId: string, scopes: readonly string[]): Promise<void> {
    await this.#table.put({
      ...keys.consent(accountId, clientId),
      scopes: [...scopes],
      agreedAt: this.#now().toISOString(),
    });
  }
}
