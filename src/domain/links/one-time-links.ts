import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { DomainError } from '../errors.ts';

/** What a link in an email does; each purpose has its own links. */
export type LinkPurpose =
  | 'confirm-email'
  | 'reset-password'
  | 'unlock-account'
  | 'confirm-new-email'
  | 'report-email-change'
  | 'cancel-phone-change';

export type LinkPayload = Readonly<Record<string, string>>;

/**
 * Whose link it is, for links of which only the newest may work: an account's, or an email
 * address's (normalised) for links asked for by address, whether or not it has an account.
 */
export type LinkOwner = { readonly accountId: string } | { readonly address: string };

/** The one link of a purpose an owner may have working at a time. */
export interface LinkSlot {
  readonly purpose: LinkPurpose;
  readonly owner: LinkOwner;
}

/** A link that could still be used, as kept. */
export interface LinkRecord {
  readonly payload: LinkPayload;
  /** When the account's second factor was passed for this link (a reset or an unlock needs it). */
  readonly secondFactorAt?: Date | undefined;
}

/** The newest working link of a slot, by digest. */
export interface NewestLink {
  readonly tokenDigest: string;
  readonly payload: LinkPayload;
}

/** Where link tokens are kept, by digest: a copy of the table gives no working link. */
export interface LinkStore {
  /** Keeps a new link; with an owner, it becomes the only working link of its slot (any earlier one stops). */
  save(
    purpose: LinkPurpose,
    tokenDigest: string,
    payload: LinkPayload,
    validUntil: Date,
    owner?: LinkOwner,
  ): Promise<void>;
  /**
   * Uses the link up and returns its payload; only one caller can. Throws LinkUsedError,
   * LinkExpiredError, UnknownLinkError or LinkReplacedError.
   */
  redeem(purpose: LinkPurpose, tokenDigest: string): Promise<LinkPayload>;
  /** The link if it could still be redeemed; the same errors as `redeem`, and nothing is used up. */
  check(purpose: LinkPurpose, tokenDigest: string): Promise<LinkRecord>;
  /**
   * Notes on a usable link that the account's second factor was passed for it; from then on a
   * newer link of its slot no longer stops it (ending the slot still does).
   */
  recordSecondFactor(purpose: LinkPurpose, tokenDigest: string, at: Date): Promise<void>;
  /** Whether a slot has a working link. */
  slotInUse(slot: LinkSlot): Promise<boolean>;
  /** The newest link of a slot while it could still be redeemed: its digest and payload (never a token). */
  newest(slot: LinkSlot): Promise<NewestLink | undefined>;
  /** Stops the working link of each slot, if any (after a reset, say, no older link may change the account). */
  endSlots(slots: readonly LinkSlot[]): Promise<void>;
}

export class LinkUsedError extends DomainError {
  readonly code = 'link_used';
  readonly status = 400;
}

export class LinkExpiredError extends DomainError {
  readonly code = 'link_expired';
  readonly status = 400;
}

/** A well-formed link we have no record of: almost always one deleted some time after it expired. */
export class UnknownLinkError extends DomainError {
  readonly code = 'link_unknown';
  readonly status = 400;
}

/** A newer link of the same kind was sent, or the account changed (a reset, a new password or email) since. */
export class LinkReplacedError extends DomainError {
  readonly code = 'link_replaced';
  readonly status = 400;
}

/** Not a link we could have sent: mistyped or cut short. */
export class BrokenLinkError extends DomainError {
  readonly code = 'link_broken';
  readonly status = 400;
}

/**
 * A link as a page has it: the token from the email, or the digest a journey kept in its session
 * (the session never holds a working token).
 */
export type LinkRef = { readonly token: string | undefined } | { readonly digest: string };

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const DIGEST_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Single-use links for emails: 256-bit random tokens, stored as digests, short-lived. */
export class OneTimeLinks {
  readonly #store: LinkStore;
  readonly #clock: Clock;

  constructor(options: { store: LinkStore; clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  /** A new link's token; it works once, for `lifetimeSeconds`, and with an owner only until a newer one. */
  async issue(
    purpose: LinkPurpose,
    payload: LinkPayload,
    lifetimeSeconds: number,
    owner?: LinkOwner,
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const validUntil = new Date(this.#clock().getTime() + lifetimeSeconds * 1000);
    await this.#store.save(purpose, digest(token), payload, validUntil, owner);
    return token;
  }

  async redeem(purpose: LinkPurpose, link: LinkRef): Promise<LinkPayload> {
    return this.#store.redeem(purpose, this.digestOf(link));
  }

  /** Whether the link can still be used, without using it (to show a form before the real work). */
  async check(purpose: LinkPurpose, link: LinkRef): Promise<LinkRecord> {
    return this.#store.check(purpose, this.digestOf(link));
  }

  /** Records that the account's second factor was passed for this link, now. */
  async recordSecondFactor(purpose: LinkPurpose, link: LinkRef): Promise<void> {
    await this.#store.recordSecondFactor(purpose, this.digestOf(link), this.#clock());
  }

  /** Whether the slot has a working link (a change of email address pending, say). */
  async inUse(slot: LinkSlot): Promise<boolean> {
    return this.#store.slotInUse(slot);
  }

  /** The newest link of a slot, if it still works: a pending registration, say. */
  async newest(slot: LinkSlot): Promise<NewestLink | undefined> {
    return this.#store.newest(slot);
  }

  /** Stops the working link of each slot. */
  async end(slots: readonly LinkSlot[]): Promise<void> {
    await this.#store.endSlots(slots);
  }

  /** The digest a link is kept by; BrokenLinkError for anything we could not have sent. */
  digestOf(link: LinkRef): string {
    if ('digest' in link) {
      if (!DIGEST_PATTERN.test(link.digest)) throw new BrokenLinkError('This is not a link reference.');
      return link.digest;
    }
    if (!link.token || !TOKEN_PATTERN.test(link.token))
      throw new BrokenLinkError('This link is not one we could have sent.');
    return digest(link.token);
  }
}
