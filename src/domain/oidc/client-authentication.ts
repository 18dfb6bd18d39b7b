import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import type { ClientPublicKey, ClientStore, RelyingPartyClient } from '../clients/relying-party-client.ts';
import { type Clock, epochSeconds } from '../clock.ts';
import type { AssertionReplayStore } from './assertion-replay.ts';
import { clientAssertionAlgorithms } from './discovery.ts';
import { InvalidClientError } from './oidc-errors.ts';

/** The one `client_assertion_type` we accept (RFC 7523 section 2.2). */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** How far in the future an assertion's `exp` may be: NHS login's 5 minutes. */
export const DEFAULT_MAX_ASSERTION_LIFETIME_SECONDS = 300;

/**
 * Leeway for a client's clock being off from ours. It widens each time check by this much: `exp`
 * may be up to 30 s past, `iat` and `nbf` up to 30 s ahead, and `exp` up to the lifetime plus 30 s
 * ahead. The jti is therefore remembered until `exp` plus this leeway, the last moment the
 * assertion could be accepted.
 */
export const DEFAULT_ASSERTION_CLOCK_SKEW_SECONDS = 30;

/** What a client is told about any failed authentication: nothing about which check failed. */
export const CLIENT_AUTHENTICATION_FAILED = 'Client authentication failed';

export { InvalidClientError };

/**
 * The token request's fields that bear on client authentication. Values are `unknown` because a
 * form may repeat a field; anything but a single string is refused.
 */
export interface ClientAuthenticationForm {
  readonly client_assertion_type?: unknown;
  readonly client_assertion?: unknown;
  readonly client_id?: unknown;
  readonly client_secret?: unknown;
}

/** The token request's headers that bear on client authentication. */
export interface ClientAuthenticationHeaders {
  /** Present when the client tried HTTP Basic (client_secret_basic), which we refuse. */
  readonly authorization?: string;
}

export interface ClientAuthenticationContext {
  readonly clients: Pick<ClientStore, 'find'>;
  /** The token endpoint's URL: the audience an assertion must name (RFC 7523 section 3, item 3). */
  readonly tokenEndpoint: string;
  /** Our issuer identifier, also accepted as the audience (OpenID Connect Core section 9). */
  readonly issuer: string;
  readonly replayStore: AssertionReplayStore;
  readonly clock: Clock;
  /** How far in the future an assertion's `exp` may be, in seconds. */
  readonly maxAssertionLifetimeSeconds: number;
  /** Leeway for the client's clock, in seconds; DEFAULT_ASSERTION_CLOCK_SKEW_SECONDS unless given. */
  readonly clockSkewSeconds?: number;
}

type ClientAssertionAlgorithm = (typeof clientAssertionAlgorithms)[number];

const refuse = (logDetail: string) => new InvalidClientError(CLIENT_AUTHENTICATION_FAILED, { logDetail });

/**
 * Authenticates the client of a token request by private_key_jwt (RFC 7523, OpenID Connect Core
 * section 9), the only method we accept, and returns it. Every failure is InvalidClientError.
 * The jti is claimed last, so an assertion that fails any other check does not use it up.
 */
export const authenticateClient = async (
  form: ClientAuthenticationForm,
  context: ClientAuthenticationContext,
  headers: ClientAuthenticationHeaders = {},
): Promise<RelyingPartyClient> => {
  const assertion = readAssertion(form, headers);
  const { header, claims } = decodeAssertion(assertion);
  const alg = acceptedAlgorithm(header);
  const client = await findIssuingClient(claims, form, context);
  const keys = candidateKeys(client, header, alg);
  const now = context.clock();
  const skew = context.clockSkewSeconds ?? DEFAULT_ASSERTION_CLOCK_SKEW_SECONDS;
  const payload = await verifyAssertion(assertion, keys, alg, client.clientId, context, now, skew);
  const jti = checkTimesAndJti(payload, epochSeconds(now), context.maxAssertionLifetimeSeconds, skew);
  await claimJti(client.clientId, jti, (payload.exp as number) + skew, context.replayStore);
  return client;
};

const readAssertion = (form: ClientAuthenticationForm, headers: ClientAuthenticationHeaders): string => {
  if (headers.authorization !== undefined)
    throw refuse('Authorization header sent; only private_key_jwt is accepted');
  if (form.client_secret !== undefined) throw refuse('client_secret sent; only private_key_jwt is accepted');
  if (form.client_assertion_type !== JWT_BEARER_ASSERTION_TYPE)
    throw refuse('client_assertion_type is not jwt-bearer');
  if (typeof form.client_assertion !== 'string' || form.client_assertion === '')
    throw refuse('client_assertion missing');
  return form.client_assertion;
};

const decodeAssertion = (assertion: string) => {
  try {
    // decodeJwt accepts only the three parts of a compact JWS with a JSON object payload.
    return { claims: decodeJwt(assertion), header: decodeProtectedHeader(assertion) };
  } catch {
    throw refuse('client_assertion is not a compact JWS JWT');
  }
};

/** Never `none` nor HS*: only the asymmetric algorithms we publish in discovery. */
const acceptedAlgorithm = (header: ProtectedHeaderParameters): ClientAssertionAlgorithm => {
  const accepted: readonly string[] = clientAssertionAlgorithms;
  if (typeof header.alg !== 'string' || !accepted.includes(header.alg))
    throw refuse('header alg is not an accepted client assertion algorithm');
  return header.alg as ClientAssertionAlgorithm;
};

/** The client named by `iss`, which must also be `sub` and any `client_id` sent alongside. */
const findIssuingClient = async (
  claims: JWTPayload,
  form: ClientAuthenticationForm,
  context: ClientAuthenticationContext,
): Promise<RelyingPartyClient> => {
  const clientId = claims.iss;
  if (typeof clientId !== 'string' || clientId === '') throw refuse('iss missing');
  if (claims.sub !== clientId) throw refuse('sub differs from iss');
  if (form.client_id !== undefined && form.client_id !== clientId) throw refuse('client_id differs from iss');
  const client = await context.clients.find(clientId);
  if (!client) throw refuse('iss is not a registered client');
  return client;
};

/** The key the header's `kid` names, or else every key of the client that allows `alg`. */
const candidateKeys = (
  client: RelyingPartyClient,
  header: ProtectedHeaderParameters,
  alg: ClientAssertionAlgorithm,
): readonly ClientPublicKey[] => {
  if (header.kid !== undefined) {
    const key = client.publicKeys.find((candidate) => candidate.kid === header.kid);
    if (!key) throw refuse('kid names no key of the client');
    if (!key.algorithms.includes(alg)) throw refuse('the key named by kid does not allow the header alg');
    return [key];
  }
  const keys = client.publicKeys.filter((key) => key.algorithms.includes(alg));
  if (keys.length === 0) throw refuse('no key of the client allows the header alg');
  return keys;
};

/** Verifies the signature with the first key that matches, then iss, sub, aud, exp and nbf. */
const verifyAssertion = async (
  assertion: string,
  keys: readonly ClientPublicKey[],
  alg: ClientAssertionAlgorithm,
  clientId: string,
  context: ClientAuthenticationContext,
  now: Date,
  skew: number,
): Promise<JWTPayload> => {
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(assertion, await importJWK({ ...key.jwk } as JWK, alg), {
        algorithms: [alg],
        issuer: clientId,
        subject: clientId,
        audience: [context.tokenEndpoint, context.issuer],
        requiredClaims: ['exp', 'jti'],
        clockTolerance: skew,
        currentDate: now,
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      throw refuse(verificationFailure(error));
    }
  }
  throw refuse('signature verifies with no key of the client');
};

/** The check jose reports as failed, in words that hold no token content (jose's errors carry the claims). */
const verificationFailure = (error: unknown): string => {
  if (error instanceof errors.JWTExpired) return `${error.claim} is in the past`;
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reasons: Record<string, string> = {
      missing: 'missing',
      invalid: 'not valid',
      check_failed: 'wrong',
    };
    return `${error.claim} ${reasons[error.reason] ?? 'wrong'}`;
  }
  if (error instanceof errors.JOSEError) return `verification failed (${error.code})`;
  return `verification failed (${error instanceof Error ? error.name : 'unknown error'})`;
};

/** What jose leaves to us: the lifetime ceiling, an `iat` from the future, and a usable `jti`. */
const checkTimesAndJti = (payload: JWTPayload, now: number, maxLifetime: number, skew: number): string => {
  if ((payload.exp as number) > now + maxLifetime + skew) throw refuse('exp too far in the future');
  if (payload.iat !== undefined && payload.iat > now + skew) throw refuse('iat in the future');
  if (typeof payload.jti !== 'string' || payload.jti === '') throw refuse('jti not a non-empty string');
  return payload.jti;
};

const claimJti = async (
  clientId: string,
  jti: string,
  until: number,
  replayStore: AssertionReplayStore,
): Promise<void> => {
  if (!(await replayStore.claim(clientId, jti, new Date(until * 1000)))) throw refuse('jti replayed');
};
