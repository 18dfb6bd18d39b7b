import { type Clock, epochSeconds } from '../../clock.ts';
import { ConflictError } from '../../errors.ts';
import { type RandomBytes, systemRandomBytes } from '../../security-codes/security-code.ts';
import { InvalidGrantError, InvalidScopeError } from '../oidc-errors.ts';
import type { Grant } from './grant.ts';
import { RefreshTokenReusedError } from './grant-errors.ts';
import { digestOpaqueToken, isOpaqueToken, newOpaqueToken } from './opaque-token.ts';

/** The refresh tokens of one grant: only the latest works; presenting an earlier one revokes them all. */
export type RefreshTokenFamily =
  | {
      readonly status: 'active';
      readonly grant: Grant;
      /** The digest of the one token of the family that can be used now. */
      readonly currentTokenDigest: string;
      /** Epoch seconds at which the family, and every token of it, ends. */
      readonly expiresAt: number;
    }
  | { readonly status: 'revoked'; readonly grantId: string };

/** Where refresh token families are kept; tokens are known only by their digests. */
export interface RefreshTokenStore {
  /** Stores a new family with its first token; ConflictError when the family exists (revoked before it started). */
  startFamily(family: { grant: Grant; tokenDigest: string; expiresAt: number }): Promise<void>;
  /** The family a token was issued in, whether or not it is the current one; undefined when unknown or ended. */
  findFamilyByToken(tokenDigest: string): Promise<RefreshTokenFamily | undefined>;
  /**
   * Makes `toDigest` the family's current token in place of `fromDigest`. ConflictError when
   * `fromDigest` is no longer current or the family is revoked or ended, so of concurrent
   * rotations of one token exactly one succeeds.
   */
  rotate(rotation: {
    grantId: string;
    fromDigest: string;
    toDigest: string;
    expiresAt: number;
  }): Promise<void>;
  /** Revokes the family, started or not (a later start then fails), and remembers that until `keepUntil`. */
  revokeFamily(grantId: string, keepUntil: number): Promise<void>;
}

export interface RotateRequest {
  /** The client that authenticated at the token endpoint. */
  readonly clientId: string;
  /** The token request's `scope`: space-separated, only the original scopes or fewer. */
  readonly scope?: string | undefined;
}

export interface RefreshTokensOptions {
  readonly store: RefreshTokenStore;
  readonly clock: Clock;
  /** How long a family lasts from its start; rotation does not extend it. */
  readonly lifetimeSeconds: number;
  readonly random?: RandomBytes;
}

/** Refresh tokens: 256-bit random, kept as digests, bound to one client, rotated on every use. */
export class RefreshTokens {
  readonly #store: RefreshTokenStore;
  readonly #clock: Clock;
  readonly #lifetimeSeconds: number;
  readonly #random: RandomBytes;

  constructor(options: RefreshTokensOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#lifetimeSeconds = options.lifetimeSeconds;
    this.#random = options.random ?? systemRandomBytes;
  }

  /** The first refresh token of a grant; InvalidGrantError when the grant was revoked meanwhile. */
  async start(grant: Grant): Promise<string> {
    const { token, digest } = newOpaqueToken(this.#random);
    try {
      await this.#store.startFamily({
        grant,
        tokenDigest: digest,
        expiresAt: this.#now() + this.#lifetimeSeconds,
      });
    } catch (error) {
      if (error instanceof ConflictError)
        throw new InvalidGrantError('The grant has been revoked.', {
          logDetail: 'refresh family revoked before start',
        });
      throw error;
    }
    return token;
  }

  /**
   * Uses up a refresh token and returns its successor with the grant, its scopes narrowed to
   * the requested ones. Every failure is InvalidGrantError (RefreshTokenReusedError for a
   * replaced token), or InvalidScopeError for a scope beyond the grant.
   */
  async rotate(
    token: string | undefined,
    request: RotateRequest,
  ): Promise<{ refreshToken: string; grant: Grant }> {
    if (!isOpaqueToken(token))
      throw new InvalidGrantError('The refresh token is malformed.', {
        logDetail: 'refresh token malformed',
      });
    const digest = digestOpaqueToken(token);
    const family = await this.#store.findFamilyByToken(digest);
    if (!family || (family.status === 'active' && family.expiresAt <= this.#now()))
      throw new InvalidGrantError('The refresh token is unknown or has expired.', {
        logDetail: 'refresh token unknown or expired',
      });
    if (family.status === 'revoked')
      throw new InvalidGrantError('The refresh token has been revoked.', {
        logDetail: 'refresh family revoked',
      });
    // Checked first, so another client can neither use a token nor set off its family's revocation.
    if (family.grant.clientId !== request.clientId)
      throw new InvalidGrantError('The refresh token was not issued to this client.', {
        logDetail: 'refresh token client mismatch',
      });
    if (family.currentTokenDigest !== digest) return this.#revokeForReuse(family.grant);
    const scopes = narrowScopes(family.grant.scopes, request.scope);
    const next = newOpaqueToken(this.#random);
    try {
      await this.#store.rotate({
        grantId: family.grant.grantId,
        fromDigest: digest,
        toDigest: next.digest,
        expiresAt: family.expiresAt,
      });
    } catch (error) {
      // Another request rotated this token (or revoked the family) since it was read.
      if (error instanceof ConflictError) return this.#revokeForReuse(family.grant);
      throw error;
    }
    return { refreshToken: next.token, grant: { ...family.grant, scopes } };
  }

  /** Revokes every token of a grant's family, including one not started yet. */
  async revokeFamily(grantId: string): Promise<void> {
    await this.#store.revokeFamily(grantId, this.#now() + this.#lifetimeSeconds);
  }

  async #revokeForReuse(grant: Grant): Promise<never> {
    await this.revokeFamily(grant.grantId);
    throw new RefreshTokenReusedError(grant);
  }

  #now(): number {
    return epochSeconds(this.#clock());
  }
}

/**
 * The scopes a refresh asks for: the grant's when `scope` is absent or blank, else the requested
 * ones, each of which must be in the grant (RFC 6749 6). The family keeps the original scopes.
 */
const narrowScopes = <S extends string>(granted: readonly S[], scope: string | undefined): readonly S[] => {
  const requested = new Set((scope ?? '').split(' ').filter((value) => value !== ''));
  if (requested.size === 0) return granted;
  const beyond = [...requested].filter((value) => !(granted as readonly string[]).includes(value));
  if (beyond.length > 0)
    throw new InvalidScopeError('scope may only name scopes of the original grant.', {
      logDetail: `scopes beyond the grant: ${beyond.length}`,
    });
  return granted.filter((value) => requested.has(value));
};
