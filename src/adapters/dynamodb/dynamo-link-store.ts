import { epochSeconds } from '../../domain/clock.ts';
import { AlreadyUsedError, ConflictError, ExpiredError, NotFoundError } from '../../domain/errors.ts';
import {
  LinkExpiredError,
  type LinkOwner,
  type LinkPayload,
  type LinkPurpose,
  type LinkRecord,
  LinkReplacedError,
  type LinkSlot,
  type LinkStore,
  LinkUsedError,
  type NewestLink,
  UnknownLinkError,
} from '../../domain/links/one-time-links.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { type ItemKey, keys, listings } from './keys.ts';

type LinkItem = Item & {
  payload: LinkPayload;
  /** The slot whose working link this is, when only the newest of its kind may work. */
  slot?: ItemKey;
  secondFactorAt?: number;
  consumedAt?: number;
};
type SlotItem = Item & {
  tokenDigest: string;
  /** The newest link's payload and expiry, so the slot alone answers what its newest link is. */
  newestPayload?: LinkPayload;
  newestExpiresAt?: number;
  /** A link of the slot that has passed its second factor: a newer link does not stop it. */
  pinned?: string;
  pinnedUntil?: number;
};

const slotKey = (purpose: LinkPurpose, owner: LinkOwner): ItemKey =>
  'accountId' in owner
    ? keys.accountLinkSlot(owner.accountId, purpose)
    : keys.addressLinkSlot(owner.address, purpose);

/**
 * Single-use links, consumed by a conditional update; DynamoDB deletes them after expiry. A link
 * with an owner is also named by its slot item (under the account's partition, or the address's),
 * and works only while the slot names it: a newer link replaces the slot's token digest, and
 * ending the slot stops the link, without having to find the link first.
 */
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
    owner?: LinkOwner,
  ): Promise<void> {
    const expiresAt = epochSeconds(validUntil);
    // Indexed by account, so deleting an account deletes the links still pending for it.
    const accountId = payload.accountId;
    const slot = owner && slotKey(purpose, owner);
    const link = {
      ...keys.link(purpose, tokenDigest),
      payload,
      expiresAt,
      ...(slot ? { slot } : {}),
      ...(accountId ? { gsi1pk: listings.accountLinks(accountId), gsi1sk: `${purpose}#${tokenDigest}` } : {}),
    };
    if (!slot) {
      await this.#table.create(link);
      return;
    }
    // A link already past its second factor stays working beside the new one (see `pinned`); once
    // it expires its item reads as absent, so an old pin carried over is harmless.
    const current = await this.#table.get<SlotItem>(slot);
    const pinned = current?.pinned ? { pinned: current.pinned, pinnedUntil: current.pinnedUntil ?? 0 } : {};
    const slotExpiresAt = Math.max(expiresAt, pinned.pinnedUntil ?? 0);
    await this.#table.transact([
      { kind: 'create', item: link },
      {
        kind: 'put',
        item: {
          ...slot,
          tokenDigest,
          newestPayload: payload,
          newestExpiresAt: expiresAt,
          expiresAt: slotExpiresAt,
          ...pinned,
        },
      },
    ]);
  }

  async redeem(purpose: LinkPurpose, tokenDigest: string): Promise<LinkPayload> {
    const key = keys.link(purpose, tokenDigest);
    const link = await this.#table.get<LinkItem>(key);
    if (!link?.slot) return this.#consumeUnslotted(key);
    const held = await this.#checkSlot(link, tokenDigest);
    try {
      // Used and taken out of its slot at once: a concurrent redeem, or the slot ending, makes it fail whole.
      await this.#table.transact([
        { kind: 'consume', key },
        {
          kind: 'delete',
          key: link.slot,
          matching: held === 'pinned' ? { pinned: tokenDigest } : { tokenDigest },
        },
      ]);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      await this.check(purpose, tokenDigest);
      throw new LinkUsedError('This link has been used.');
    }
    return link.payload;
  }

  async check(purpose: LinkPurpose, tokenDigest: string): Promise<LinkRecord> {
    // Expired items read as absent, so an expired link and an unknown one look alike here.
    const link = await this.#table.get<LinkItem>(keys.link(purpose, tokenDigest));
    if (!link) throw new UnknownLinkError('This link has expired or is not one we sent.');
    if (link.consumedAt !== undefined) throw new LinkUsedError('This link has been used.');
    await this.#checkSlot(link, tokenDigest);
    return {
      payload: link.payload,
      ...(link.secondFactorAt === undefined ? {} : { secondFactorAt: new Date(link.secondFactorAt * 1000) }),
    };
  }

  async recordSecondFactor(purpose: LinkPurpose, tokenDigest: string, at: Date): Promise<void> {
    const key = keys.link(purpose, tokenDigest);
    try {
      await this.#table.update(key, { secondFactorAt: epochSeconds(at) });
      // Pinned in its slot, so whoever asks for a new link meanwhile cannot stop the patient's.
      const link = await this.#table.get<LinkItem>(key);
      if (link?.slot)
        await this.#table.update(
          link.slot,
          { pinned: tokenDigest, pinnedUntil: link.expiresAt },
          { tokenDigest },
        );
    } catch (error) {
      if (error instanceof ConflictError) throw new UnknownLinkError('This link has expired.');
      throw error;
    }
  }

  async slotInUse(slot: LinkSlot): Promise<boolean> {
    return (await this.#table.get<SlotItem>(slotKey(slot.purpose, slot.owner))) !== undefined;
  }

  async newest(slot: LinkSlot): Promise<NewestLink | undefined> {
    const item = await this.#table.get<SlotItem>(slotKey(slot.purpose, slot.owner));
    if (!item) return undefined;
    if (item.newestPayload && item.newestExpiresAt !== undefined) {
      return item.newestExpiresAt > this.#table.nowSeconds()
        ? { tokenDigest: item.tokenDigest, payload: item.newestPayload }
        : undefined;
    }
    // A slot written before it kept its newest payload: the link itself says.
    const link = await this.#table.get<LinkItem>(keys.link(slot.purpose, item.tokenDigest));
    return link && link.consumedAt === undefined
      ? { tokenDigest: item.tokenDigest, payload: link.payload }
      : undefined;
  }

  async endSlots(slots: readonly LinkSlot[]): Promise<void> {
    await this.#table.deleteAll(slots.map((slot) => slotKey(slot.purpose, slot.owner)));
  }

  /** Whether the slot holds the link as its newest, or as pinned; LinkReplacedError when neither. */
  async #checkSlot(link: LinkItem, tokenDigest: string): Promise<'newest' | 'pinned' | undefined> {
    if (!link.slot) return undefined;
    const slot = await this.#table.get<SlotItem>(link.slot);
    if (slot?.tokenDigest === tokenDigest) return 'newest';
    if (slot?.pinned === tokenDigest) return 'pinned';
    throw new LinkReplacedError('A newer link was sent, or the account has changed since.');
  }

  async #consumeUnslotted(key: ItemKey): Promise<LinkPayload> {
    try {
      return (await this.#table.consume<LinkItem>(key)).payload;
    } catch (error) {
      if (error instanceof AlreadyUsedError) throw new LinkUsedError('This link has been used.');
      if (error instanceof ExpiredError) throw new LinkExpiredError('This link has expired.');
      if (error instanceof NotFoundError) throw new UnknownLinkError('This link is not one we sent.');
      throw error;
    }
  }
}
