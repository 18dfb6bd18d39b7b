import type { AssertionReplayStore } from '../../domain/oidc/assertion-replay.ts';
import type { DynamoTable } from './dynamo-table.ts';
import { keys } from './keys.ts';

/**
 * Client assertion jtis in the single table, each until the assertion's last acceptable moment;
 * DynamoDB's TTL deletes them after.
 */
export class DynamoAssertionReplayStore implements AssertionReplayStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async claim(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    // A claim counts the jti's presentations in one atomic update: the first counts 1. Unlike
    // `create`, which refuses to write over an expired item TTL has not deleted yet, `increment`
    // starts an expired item again, so a jti whose claim has ended can be claimed once more.
    const presentations = await this.#table.increment(
      keys.clientAssertion(clientId, jti),
      'presentations',
      1,
      {
        // Rounded up to the second, so a claim never ends early.
        expiresAt: Math.ceil(expiresAt.getTime() / 1000),
      },
    );
    return presentations === 1;
  }
}
