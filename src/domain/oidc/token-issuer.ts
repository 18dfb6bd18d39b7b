import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { type Clock, epochSeconds } from '../clock.ts';
import { type JsonWebKeySet, TOKEN_SIGNING_ALGORITHM, type TokenSigner } from '../tokens/token-signer.ts';
import { accessTokenClaims, type ClaimsSource, idTokenClaims } from './claims.ts';
import { InvalidTokenError } from './oidc-errors.ts';
import { isScope, type Scope } from './scopes.ts';
import { isVectorOfTrust, type VectorOfTrust } from './vectors-of-trust.ts';

/**
 * Marks our access tokens, so an ID token (same issuer, key and `typ`) is never taken for one.
 * Sandpit-shaped NHS login access tokens show the same claim (reference 2.5, unconfirmed).
 */
const ACCESS_TOKEN_USE = 'access';

/** Leeway for clock skew when an access token's expiry is checked. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** The trust mark URL for the vectors of trust we issue (NHS login: `<issuer>/trustmark/<issuer host>`). */
export const trustmarkUrl = (issuer: string): string =>
  `${issuer.replace(/\/+$/, '')}/trustmark/${new URL(issuer).host}`;

/** What an authentication produced, for the tokens issued from it. */
export interface TokenSubject {
  readonly account: ClaimsSource;
  readonly clientId: string;
  readonly scopes: readonly Scope[];
  readonly vot: VectorOfTrust;
  /** When the patient authenticated, in epoch seconds. */
  readonly authTime: number;
}

export interface IssuedToken {
  readonly token: string;
  /** The token's `jti`: an ID token's is what a relying party presents for SSO. */
  readonly jti: string;
  /** Seconds until it expires, as the token response's `expires_in`. */
  readonly expiresIn: number;
}

export interface TokenIssuerOptions {
  readonly signer: TokenSigner;
  /** Our issuer URL, exactly as in discovery. */
  readonly issuer: string;
  readonly clock: Clock;
  readonly idTokenLifetimeSeconds: number;
  readonly accessTokenLifetimeSeconds: number;
  readonly randomId?: () => string;
}

/**
 * Issues ID tokens and access tokens as NHS login does: JWTs signed RS512 with `typ: JWT`
 * (EIS 4.1), carrying the achieved vector of trust and its trust mark.
 */
export class TokenIssuer {
  readonly #signer: TokenSigner;
  readonly #issuer: string;
  readonly #clock: Clock;
  readonly #idTokenLifetimeSeconds: number;
  readonly #accessTokenLifetimeSeconds: number;
  readonly #randomId: () => string;

  constructor(options: TokenIssuerOptions) {
    this.#signer = options.signer;
    this.#issuer = options.issuer;
    this.#clock = options.clock;
    this.#idTokenLifetimeSeconds = options.idTokenLifetimeSeconds;
    this.#accessTokenLifetimeSeconds = options.accessTokenLifetimeSeconds;
    this.#randomId = options.randomId ?? randomUUID;
  }

  /** The ID token (EIS Table 16): protocol claims, `nonce`, and the profile claims its scopes allow. */
  async issueIdToken(subject: TokenSubject & { readonly nonce: string }): Promise<IssuedToken> {
    return this.#issue(this.#idTokenLifetimeSeconds, {
      ...idTokenClaims(subject.account, subject.scopes),
      ...this.#commonClaims(subject),
      nonce: subject.nonce,
    });
  }

  /** The access token for /userinfo (EIS Table 17): the protocol claims with `scope` and `client_id`. */
  async issueAccessToken(subject: TokenSubject): Promise<IssuedToken> {
    return this.#issue(this.#accessTokenLifetimeSeconds, {
      ...accessTokenClaims(subject.account, subject.scopes),
      ...this.#commonClaims(subject),
      scope: subject.scopes.join(' '),
      client_id: subject.clientId,
      token_use: ACCESS_TOKEN_USE,
    });
  }

  #commonClaims(subject: TokenSubject) {
    return {
      iss: this.#issuer,
      sub: subject.account.subject,
      aud: subject.clientId,
      auth_time: subject.authTime,
      vot: subject.vot,
      vtm: trustmarkUrl(this.#issuer),
    };
  }

  async #issue(lifetimeSeconds: number, claims: Record<string, unknown>): Promise<IssuedToken> {
    const iat = epochSeconds(this.#clock());
    const jti = this.#randomId();
    const token = await this.#signer.sign({ ...claims, iat, exp: iat + lifetimeSeconds, jti });
    return { token, jti, expiresIn: lifetimeSeconds };
  }
}

/** What /userinfo learns from a valid access token. */
export interface VerifiedAccessToken {
  readonly sub: string;
  readonly clientId: string;
  readonly scopes: readonly Scope[];
  readonly vot: VectorOfTrust;
  readonly jti: string;
}

export interface VerifyAccessTokenOptions {
  /** Our published keys. */
  readonly jwks: JsonWebKeySet;
  readonly issuer: string;
  readonly clock: Clock;
}

/**
 * Verifies an access token we issued: RS512 only (so never `none`), one of our keys, our issuer,
 * unexpired, and an access token rather than an ID token. Any failure is InvalidTokenError.
 */
export const verifyAccessToken = async (
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<VerifiedAccessToken> => {
  const keySet = createLocalJWKSet(options.jwks);
  try {
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: [TOKEN_SIGNING_ALGORITHM],
      issuer: options.issuer,
      currentDate: options.clock(),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat', 'jti', 'scope', 'client_id', 'vot'],
    });
    const { sub, jti, scope, client_id: clientId, vot, token_use: tokenUse } = payload;
    if (
      tokenUse !== ACCESS_TOKEN_USE ||
      typeof sub !== 'string' ||
      typeof jti !== 'string' ||
      typeof scope !== 'string' ||
      typeof clientId !== 'string' ||
      typeof vot !== 'string' ||
      !isVectorOfTrust(vot)
    )
      throw new InvalidTokenError('The access token is invalid.', { logDetail: 'not an access token' });
    return { sub, clientId, scopes: scope.split(' ').filter(isScope), vot, jti };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof joseErrors.JOSEError)
      throw new InvalidTokenError(
        error instanceof joseErrors.JWTExpired
          ? 'The access token has expired.'
          : 'The access token is invalid.',
        { logDetail: error.code, cause: error },
      );
    throw error;
  }
};
