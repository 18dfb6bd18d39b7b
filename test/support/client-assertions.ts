import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { base64url, type JWTPayload, SignJWT } from 'jose';
import { parseClientPublicKeys } from '../../src/domain/clients/client-public-keys.ts';
import type { RelyingPartyClient } from '../../src/domain/clients/relying-party-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { AssertionReplayStore } from '../../src/domain/oidc/assertion-replay.ts';

/** Helpers for client assertion tests: keys made here, clients registered from a JWKS, assertions signed by jose. */

export const NOW = new Date('2026-11-22T10:00:00Z');
export const nowSeconds = NOW.getTime() / 1000;
export const ISSUER = 'https://login.example.test';
export const TOKEN_ENDPOINT = `${ISSUER}/token`;
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export const rsaKeyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
export const ecKeyPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

export interface RegisteredKey {
  readonly publicKey: KeyObject;
  readonly kid: string;
  /** The JWK `alg`, which limits the key to that one algorithm. */
  readonly alg?: string;
}

/** A client whose keys are read from a JWKS exactly as registration reads them. */
export const registeredClient = async (
  clientId: string,
  keys: readonly RegisteredKey[],
): Promise<RelyingPartyClient> => {
  const jwks = keys.map(({ publicKey, kid, alg }) => ({
    ...publicKey.export({ format: 'jwk' }),
    kid,
    ...(alg ? { alg } : {}),
  }));
  const { keys: publicKeys, problems } = await parseClientPublicKeys(JSON.stringify({ keys: jwks }));
  if (problems.length > 0) throw new Error(problems.join(' '));
  return {
    clientId,
    name: 'Test service',
    redirectUris: ['https://service.example.test/callback'],
    publicKeys,
    scopes: ['openid'],
    vectorsOfTrust: ['P9.Cp.Cd'],
    allowRegistration: true,
    pkceRequired: false,
    refreshTokens: false,
    createdAt: NOW.toISOString(),
  };
};

/** The claims of a good assertion, one minute from expiry; an override of `undefined` drops a claim. */
export const assertionClaims = (clientId: string, overrides: Record<string, unknown> = {}): JWTPayload =>
  Object.fromEntries(
    Object.entries({
      iss: clientId,
      sub: clientId,
      aud: TOKEN_ENDPOINT,
      exp: nowSeconds + 60,
      iat: nowSeconds,
      jti: randomUUID(),
      ...overrides,
    }).filter(([, value]) => value !== undefined),
  );

export const signAssertion = (
  claims: JWTPayload,
  key: KeyObject | Uint8Array,
  header: { alg: string; kid?: string },
): Promise<string> => new SignJWT(claims).setProtectedHeader({ typ: 'JWT', ...header }).sign(key);

/** An unsecured JWT (`alg: none`): no signature at all. */
export const unsecuredAssertion = (claims: JWTPayload): string => {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
};

/** The replay store's behaviour kept in a map: a claim holds until its expiry by the clock. */
export class InMemoryAssertionReplayStore implements AssertionReplayStore {
  readonly claims = new Map<string, Date>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async claim(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    const key = JSON.stringify([clientId, jti]);
    const existing = this.claims.get(key);
    if (existing && existing > this.#clock()) return false;
    this.claims.set(key, expiresAt);
    return true;
  }
}
