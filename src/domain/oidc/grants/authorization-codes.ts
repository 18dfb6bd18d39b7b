import { type Clock, epochSeconds } from '../../clock.ts';
import { AlreadyUsedError, ExpiredError, InvalidRequestError, NotFoundError } from '../../errors.ts';
import { type RandomBytes, systemRandomBytes } from '../../security-codes/security-code.ts';
import { InvalidGrantError } from '../oidc-errors.ts';
import type { Grant } from './grant.ts';
import { CodeReusedError } from './grant-errors.ts';
import { digestOpaqueToken, isOpaqueToken, newOpaqueToken } from './opaque-token.ts';
import { checkPkce, isCodeChallenge } from './pkce.ts';

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
  /** Epoch seconds after which the code is refused. */
  readonly expiresAt: number;
  /** Whether the code has been redeemed. */
  readonly consumed: boolean;
}

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
}

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

  constructor(options: AuthorizationCodesOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#lifetimeSeconds = options.lifetimeSeconds;
    this.#random = options.random ?? systemRandomBytes;
  }

  /** A new code for the grant, redeemable once within the code lifetime. */
  async issue(request: AuthorizationCodeRequest): Promise<string> {
    const { codeChallenge, ...grant } = request;
    if (codeChallenge !== undefined && !isCodeChallenge(codeChallenge))
      throw new InvalidRequestError('code_challenge must be an S256 challenge: 43 base64url characters.');
    const { token, digest } = newOpaqueToken(this.#random);
    const expiresAt = epochSeconds(this.#clock()) + this.#lifetimeSeconds;
    await this.#store.save(digest, { grant, codeChallenge, expiresAt });
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
    const stored = await this.#store.find(digest);
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
    await this.#consume(digest, grant);
    return grant;
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
