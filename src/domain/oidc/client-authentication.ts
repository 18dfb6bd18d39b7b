import type { JWTPayload } from 'jose';
import type { ClientStore, RelyingPartyClient } from '../clients/relying-party-client.ts';
import { type Clock, epochSeconds } from '../clock.ts';
import type { AssertionReplayStore } from './assertion-replay.ts';
import { ClientJwtRejected, decodeClientJwt, verifyClientSignedJwt } from './client-signed-jwt.ts';
import { InvalidClientError } from './oidc-errors.ts';

/** The one `client_assertion_type` we accept (RFC 7523 section 2.2). */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * How far in the future an assertion's `exp` may be unless configured (`clientAssertionLifetimeSeconds`):
 * an hour, the default of stock client libraries; NHS login's specification states no cap.
 */
export const DEFAULT_MAX_ASSERTION_LIFETIME_SECONDS = 3600;

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
  try {
    return await authenticate(form, context, headers);
  } catch (error) {
    throw error instanceof ClientJwtRejected ? refuse(error.logDetail) : error;
  }
};

const authenticate = async (
  form: ClientAuthenticationForm,
  context: ClientAuthenticationContext,
  headers: ClientAuthenticationHeaders,
): Promise<RelyingPartyClient> => {
  const assertion = readAssertion(form, headers);
  const { header, claims } = decodeClientJwt(assertion);
  // A hand-off (asserted_login_identity) travels in a URL: it must never authenticate a client.
  if (claims.code !== undefined) throw refuse('a login identity assertion (it has a code claim)');
  const client = await findIssuingClient(claims, form, context);
  const now = context.clock();
  const skew = context.clockSkewSeconds ?? DEFAULT_ASSERTION_CLOCK_SKEW_SECONDS;
  const payload = await verifyClientSignedJwt(assertion, header, client, {
    issuer: client.clientId,
    subject: client.clientId,
    audience: [context.tokenEndpoint, context.issuer],
    requiredClaims: ['exp', 'jti'],
    clockTolerance: skew,
    currentDate: now,
  });
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

/** What jose leaves to us: the lifetime ceiling, an `iat` from the future, and a usable `jti`. */
const checkTimesAndJti = (payload: JWTPayload, now: number, maxLifetime: number, skew: number): string => {
  if ((payload.exp as number) > now + maxLifetime + skew)
    throw refuse(`exp more than clientAssertionLifetimeSeconds (${maxLifetime} s) ahead`);
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
