import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { DomainError } from '../errors.ts';

/** What a link in an email does; each purpose has its own links. */
export type LinkPurpose = 'confirm-email' | 'reset-password' | 'confirm-new-email' | 'cancel-phone-change';

export type LinkPayload = Readonly<Record<string, string>>;

/** Where link tokens are kept, by digest: a copy of the table gives no working link. */
export interface LinkStore {
  save(purpose: LinkPurpose, tokenDigest: string, payload: LinkPayload, validUntil: Date): Promise<void>;
  /**
   * Uses the link up and returns its payload; only one caller can. Throws LinkUsedError,
   * LinkExpiredError or UnknownLinkError.
   */
  redeem(purpose: LinkPurpose, tokenDigest: string): Promise<LinkPayload>;
  /** The payload of a link that could still be redeemed; the same errors as `redeem`, and nothing is used up. */
  check(purpose: LinkPurpose, tokenDigest: string): Promise<LinkPayload>;
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

/** Not a link we could have sent: mistyped or cut short. */
export class BrokenLinkError extends DomainError {
  readonly code = 'link_broken';
  readonly status = 400;
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Single-use links for emails: 256-bit random tokens, stored as digests, short-lived. */
export class OneTimeLinks {
  readonly #store: LinkStore;
  readonly #clock: Clock;

  constructor(options: { store: LinkStore; clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  /** A new link's token; it works once, for `lifetimeSeconds`. */
  async issue(purpose: LinkPurpose, payload: LinkPayload, lifetimeSeconds: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const validUntil = new Date(this.#clock().getTime() + lifetimeSeconds * 1000);
    await this.#store.save(purpose, digest(token), payload, validUntil);
    return token;
  }

  async redeem(purpose: LinkPurpose, token: string | undefined): Promise<LinkPayload> {
    return this.#store.redeem(purpose, this.#digestOf(token));
  }

  /** Whether the link can still be used, without using it (to show a form before the real work). */
  async check(purpose: LinkPurpose, token: string | undefined): Promise<LinkPayload> {
    return this.#store.check(purpose, this.#digestOf(token));
  }

  #digestOf(token: string | undefined): string {
    if (!token || !TOKEN_PATTERN.test(token))
      throw new BrokenLinkError('This link is not one we could have sent.');
    return digest(token);
  }
}
