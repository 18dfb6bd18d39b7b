import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../../domain/errors.ts';
import type { PasskeyCeremony, PasskeyChallengeStore } from '../../domain/passkeys/passkey.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type ChallengeItem = Item & {
  readonly challenge: string;
  readonly ceremony: PasskeyCeremony;
  readonly accountId?: string;
};

/** Passkey challenges, one item each, taken once by a conditional write, expiring with their lifetime. */
export class DynamoPasskeyChallengeStore implements PasskeyChallengeStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async issue(
    ceremony: PasskeyCeremony,
    challenge: string,
    options: { readonly accountId?: string; readonly lifetimeSeconds: number },
  ): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    await this.#table.create({
      ...keys.passkeyChallenge(id),
      challenge,
      ceremony,
      ...(options.accountId ? { accountId: options.accountId } : {}),
      expiresAt: this.#table.nowSeconds() + options.lifetimeSeconds,
    });
    return id;
  }

  async take(
    id: string,
    ceremony: PasskeyCeremony,
  ): Promise<{ readonly challenge: string; readonly accountId?: string }> {
    // An id is ours (32 base64url characters): anything else was never issued, and is no key.
    if (!/^[\w-]{32}$/.test(id)) throw new NotFoundError('No such challenge.');
    const item = await this.#table.consume<ChallengeItem>(keys.passkeyChallenge(id), {
      matching: { ceremony },
    });
    return { challenge: item.challenge, ...(item.accountId ? { accountId: item.accountId } : {}) };
  }
}
