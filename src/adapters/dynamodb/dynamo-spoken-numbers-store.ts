import { AlreadyUsedError, ExpiredError, NotFoundError } from '../../domain/errors.ts';
import {
  type SpokenNumbersChallenge,
  type SpokenNumbersStore,
  SpokenNumbersUnusableError,
} from '../../domain/identity/photo-id/spoken-numbers.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type ChallengeItem = Item & SpokenNumbersChallenge;

/** Each account's current spoken-numbers challenge, one item under the account, expiring by TTL. */
export class DynamoSpokenNumbersStore implements SpokenNumbersStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async save(accountId: string, challenge: SpokenNumbersChallenge): Promise<void> {
    await this.#table.put({ ...keys.spokenNumbers(accountId), ...challenge });
  }

  async use(accountId: string, challengeId: string): Promise<SpokenNumbersChallenge> {
    try {
      const {
        challengeId: id,
        numbers,
        expiresAt,
      } = await this.#table.consume<ChallengeItem>(keys.spokenNumbers(accountId), {
        matching: { challengeId },
      });
      return { challengeId: id, numbers, expiresAt };
    } catch (error) {
      if (
        error instanceof NotFoundError ||
        error instanceof AlreadyUsedError ||
        error instanceof ExpiredError
      )
        throw new SpokenNumbersUnusableError('The numbers were replaced, used or have expired.', {
          logDetail: error.code,
        });
      throw error;
    }
  }
}
