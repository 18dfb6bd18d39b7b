import type { JWK, JWTPayload } from 'jose';

/** Tokens are RS512, like NHS login's (RSASSA-PKCS1-v1_5 with SHA-512). */
export const TOKEN_SIGNING_ALGORITHM = 'RS512';

/** A public key as served in the JWKS: always with a `kid` (its RFC 7638 thumbprint). */
export type PublicJwk = JWK & { kid: string; kty: string; alg: string; use: 'sig' };

export interface JsonWebKeySet {
  readonly keys: PublicJwk[];
}

export interface SignOptions {
  /** The JOSE `typ` header; `JWT` unless a profile names another. */
  readonly typ?: string;
}

/**
 * Signs JWTs with the active key and publishes every key verifiers should trust (the active key
 * and any next or previous one), so keys can rotate without downtime.
 */
export interface TokenSigner {
  sign(payload: JWTPayload, options?: SignOptions): Promise<string>;
  jwks(): Promise<JsonWebKeySet>;
}
