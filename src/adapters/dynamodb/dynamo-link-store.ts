import { epochSeconds } from '../../domain/clock.ts';
import { AlreadyUsedError, ExpiredError, NotFoundError } from '../../domain/errors.ts';
import {
  LinkExpiredError,
  type LinkPayload,
  type LinkPurpose,
  type LinkStore,
  LinkUsedError,
  UnknownLinkError,
} from '../../domain/links/one-time-links.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys, listings } from './keys.ts';

type LinkItem = Item & { payload: LinkPayload };

/** Single-use links, consumed by a conditional update; DynamoDB deletes them after expiry. */
export class DynamoLinkStore implements LinkStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async save(
    purpose: LinkPurpose,
    tokenDigest: string,
    payload: LinkPayload,
    validUntil: Date,
  ): Promise<void> {
    // Indexed by account, so deleting an account deletes the links still pending for it.
    const accountId = payload.accountId;
    await this.#table.create({
      ...keys.link(purpose, tokenDigest),
      payload,
      expiresAt: epochSeconds(validUntil),
      ...(accountId ? { gsi1pk: listings.accountLinks(accountId), gsi1sk: `${purpose}#${tokenDigest}` } : {}),
    });
  }

  async redeem(purpose: LinkPurpose, tokenDigest: string): Promise<LinkPayload> {
    try {
      return (await this.#table.consume<LinkItem>(keys.link(purpose, tokenDigest))).payload;
    } catch (error) {
      if (error instanceof AlreadyUsedError) throw new LinkUsedError('This link has been used.');
      if (error instanceof ExpiredError) throw new LinkExpiredError('This link has expired.');
      if (error instanceof NotFoundError) throw new UnknownLinkError('This link is not one we sent.');
      throw error;
    }
  }

  async check(purpose: LinkPurpose, tokenDigest: string): Promise<LinkPayload> {
    // Expired items read as absent, so an expired link and an unknown one look alike here.
    const item = await this.#table.get<LinkItem & { consumedAt?: number }>(keys.link(purpose, tokenDigest));
    if (!item) throw new UnknownLinkError('This link has expired or is not one we sent.');
    if (item.consumedAt !== undefined) throw new LinkUsedError('This link has been used.');
    return item.payload;
  }
}
