import { ClientAlreadyRegisteredError, UnknownClientError } from '../../domain/clients/client-errors.ts';
import type { ClientStore, RelyingPartyClient } from '../../domain/clients/relying-party-client.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { inputLimits } from '../../domain/input-limits.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys, listings } from './keys.ts';

type ClientItem = Item & { client: RelyingPartyClient };

/** Relying-party clients in the single table, listed through gsi1. */
export class DynamoClientStore implements ClientStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async create(client: RelyingPartyClient): Promise<void> {
    try {
      await this.#table.create({
        ...keys.client(client.clientId),
        gsi1pk: listings.clients,
        gsi1sk: client.clientId,
        client,
      } satisfies ClientItem);
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new ClientAlreadyRegisteredError(
          `A client with the client_id "${client.clientId}" is registered already.`,
        );
      }
      throw error;
    }
  }

  async find(clientId: string): Promise<RelyingPartyClient | undefined> {
    // No client could have an id this long, and a key this long is one DynamoDB refuses outright.
    if (clientId.length > inputLimits.clientId) return undefined;
    return (await this.#table.get<ClientItem>(keys.client(clientId)))?.client;
  }

  async list(): Promise<RelyingPartyClient[]> {
    return (await this.#table.queryIndex<ClientItem>('gsi1', listings.clients)).map((item) => item.client);
  }

  async remove(clientId: string): Promise<void> {
    try {
      await this.#table.delete(keys.client(clientId));
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new UnknownClientError(`No client has the client_id "${clientId}".`);
      throw error;
    }
  }
}
