import { createHash } from 'node:crypto';
import { type Clock, epochSeconds } from '../../clock.ts';
import { AlreadyUsedError, ExpiredError, InvalidRequestError, NotFoundError } from '../../errors.ts';
import { type RandomBytes, systemRandomBytes } from '../../security-codes/security-code.ts';
import { InvalidGrantError } from '../oidc-errors.ts';
import type { Grant } from './grant.ts';
import { CodeReusedError } from './grant-errors.ts';
import { digestOpaqueToken, isOpaqueToken, newOpaqueToken } from './opaque-token.ts';
import { checkPkce, isCodeChallenge, s256CodeChallenge } from './pkce.ts';

/** The grant an authorization code carries to the token endpoint. */
export interface AuthorizationCodeGrant extends Grant {
  /** The redirect_uri of the authorization request: the token request must repeat it exactly. */
  readonly redirectUri: string;
  /** Goes into the ID token. */
  readonly nonce: string;
}

/** A code as kept: by digest, with the grant and the PKCE challenge it is bound to. */
export interface StoredAuthorizationCode {
  readonly grant: AuthorizationCodeGrant;
  /** The S256 code_challenge of the authorization request, if it had one. */
  readonly codeChallenge?: string | undefined;
  /**
   * What a token request must match to redeem the code in one call: a digest of the client, the
   * redirect_uri and the challenge (see `codeBinding`). Absent on codes issued before it was kept.
   */
  readonly binding?: string | undefined;
  /** Epoch seconds after which the code is refused. */
  readonly expiresAt: number;
  /** Whether the code has been redeemed. */
  readonly consumed: boolean;
}

/** A redemption: the code redeemed now, or left as it was (undefined when unknown). */
export type CodeRedemption =
  | { readonly redeemed: true; readonly code: StoredAuthorizationCode | undefined }
  | { readonly redeemed: false; readonly code: StoredAuthorizationCode | undefined };

/** Where authorization codes are kept, by the digest of the code. */
export interface AuthorizationCodeStore {
  save(codeDigest: string, code: Omit<StoredAuthorizationCode, 'consumed'>): Promise<void>;
  /** The code, redeemed or not; undefined when unknown or past its expiry. */
  find(codeDigest: string): Promise<StoredAuthorizationCode | undefined>;
  /**
   * Marks the code redeemed; of concurrent callers exactly one succeeds. The others get
   * AlreadyUsedError; a call after expiry ExpiredError, and for an unknown code NotFoundError.
   */
  consume(codeDigest: string): Promise<void>;
  /**
   * Marks the code redeemed if it is unexpired, not redeemed before and has this binding, in one
   * call; of concurrent callers at most one succeeds. Otherwise returns the code as it was.
   */
  redeem(codeDigest: string, binding: string): Promise<CodeRedemption>;
}

/**
 * The binding of a code to its token request: the client, the exact redirect_uri and the PKCE
 * challenge (the S256 of the verifier, at the token endpoint), or none. Equal bindings mean every
 * check of `redeem` passes, so a redemption that matches is one conditional write.
 */
export const codeBinding = (
  clientId: string,
  redirectUri: string | undefined,
  challenge: string | undefined,
) =>
  createHash('sha256')
    .update(JSON.stringify([clientId, redirectUri ?? null, challenge ?? null]))
    .digest('base64url');

export interface AuthorizationCodeRequest extends AuthorizationCodeGrant {
  /** The S256 code_challenge of the authorization request (the only method we accept). */
  readonly codeChallenge?: string | undefined;
}

/** What the token request says about itself, to check against what the code is bound to. */
export interface RedemptionRequest {
  /** The client that authenticated at the token endpoint. */
  readonly clientId: string;
  readonly redirectUri: string | undefined;
  readonly codeVerifier?: string | undefined;
}

export interface AuthorizationCodesOptions {
  readonly store: AuthorizationCodeStore;
  readonly clock: Clock;
  readonly lifetimeSeconds: number;
  readonly random?: RandomBytes;
  /** Told of each code issued, by its vector of trust: a login completed at a relying party (the metrics). */
  readonly issued?: (vot: string) => void;
}

/**
 * Authorization codes: 256-bit random, kept as digests, short-lived, single use, bound to the
 * client, the redirect_uri and any PKCE challenge of the authorization request.
 */
export class AuthorizationCodes {
  readonly #store: AuthorizationCodeStore;
  readonly #clock: Clock;
  readonly #lifetimeSeconds: number;
  readonly #random: RandomBytes;
  readonly #issued: (vot: string) => void;

  constructor(options: AuthorizationCodesOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#lifetimeSeconds = options.lifetimeSeconds;
    this.#random = options.random ?? systemRandomBytes;
    this.#issued = options.issued ?? (() => {});
  }

  /** A new code for the grant, redeemable once within the code lifetime. */
  async issue(request: AuthorizationCodeRequest): Promise<string> {
    const { codeChallenge, ...grant } = request;
    if (codeChallenge !== undefined && !isCodeChallenge(codeChallenge))
      throw new InvalidRequestError('code_challenge must be an S256 challenge: 43 base64url characters.');
    const { token, digest } = newOpaqueToken(this.#random);
    const expiresAt = epochSeconds(this.#clock()) + this.#lifetimeSeconds;
    const binding = codeBinding(grant.clientId, grant.redirectUri, codeChallenge);
    await this.#store.save(digest, { grant, codeChallenge, binding, expiresAt });
    this.#issued(grant.vot);
    return token;
  }

  /**
   * Redeems a code and returns its grant. Every failure is InvalidGrantError; a code redeemed
   * before is CodeReusedError, which names the grant so the caller revokes what it produced.
   */
  async redeem(code: string | undefined, request: RedemptionRequest): Promise<AuthorizationCodeGrant> {
    if (!isOpaqueToken(code))
      throw new InvalidGrantError('The authorization code is malformed.', { logDetail: 'code malformed' });
    const digest = digestOpaqueToken(code);
    const { clientId, redirectUri, codeVerifier } = request;
    const challenge = codeVerifier === undefined ? undefined : s256CodeChallenge(codeVerifier);
    const redemption = await this.#store.redeem(digest, codeBinding(clientId, redirectUri, challenge));
    if (redemption.redeemed && redemption.code) return redemption.code.grant;
    const stored = redemption.code;
    this.#refuse(stored, request);
    // Nothing is wrong with it, yet it was not redeemed: a code issued before codes kept their binding.
    await this.#consume(digest, (stored as StoredAuthorizationCode).grant);
    return (stored as StoredAuthorizationCode).grant;
  }

  /** Throws why the code cannot be redeemed by this request, if anything is wrong with it. */
  #refuse(stored: StoredAuthorizationCode | undefined, request: RedemptionRequest): void {
    if (!stored || stored.expiresAt <= epochSeconds(this.#clock()))
      throw new InvalidGrantError('The authorization code is unknown or has expired.', {
        logDetail: 'code unknown or expired',
      });
    const { grant } = stored;
    // Checked first, so another client can neither redeem a code nor set off its revocation.
    if (grant.clientId !== request.clientId)
      throw new InvalidGrantError('The authorization code was not issued to this client.', {
        logDetail: 'code client mismatch',
      });
    if (stored.consumed) throw new CodeReusedError(grant);
    if (grant.redirectUri !== request.redirectUri)
      throw new InvalidGrantError('redirect_uri does not match the authorization request.', {
        logDetail: 'code redirect_uri mismatch',
      });
    checkPkce(stored.codeChallenge, request.codeVerifier);
  }

  async #consume(digest: string, grant: Grant): Promise<void> {
    try {
      await this.#store.consume(digest);
    } catch (error) {
      // Lost a race with a concurrent redemption of the same code: that is a second use too.
      if (error instanceof AlreadyUsedError) throw new CodeReusedError(grant);
      if (!(error instanceof ExpiredError || error instanceof NotFoundError)) throw error;
      throw new InvalidGrantError('The authorization code is unknown or has expired.', {
        logDetail: 'code expired while redeemed',
      });
    }
  }
}
