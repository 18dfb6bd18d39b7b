import * as z from 'zod/mini';
import type { ClientStore, RelyingPartyClient } from '../../src/domain/clients/relying-party-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { type WriteCollector, writeAtOnce } from '../../src/domain/deferred-writes.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { checkLengths, inputLimits } from '../../src/domain/input-limits.ts';
import type { AssertionReplayStore } from '../../src/domain/oidc/assertion-replay.ts';
import {
  authenticateClient,
  DEFAULT_MAX_ASSERTION_LIFETIME_SECONDS,
} from '../../src/domain/oidc/client-authentication.ts';
import {
  InvalidClientError,
  InvalidRequestError,
  quoteForDescription,
  UnsupportedGrantTypeError,
} from '../../src/domain/oidc/oidc-errors.ts';
import { type ErrorPresenter, presentAsJson } from '../../src/platform/http/error-mapper.ts';
import { createHttpHandler, defineRoute } from '../../src/platform/http/http-handler.ts';
import type { HttpEvent, HttpHandler } from '../../src/platform/http/http-types.ts';
import { jsonResponse } from '../../src/platform/http/responses.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { ServiceMetrics } from '../../src/platform/metrics.ts';
import { routePath } from '../../src/routes.ts';
import { authorizationCodeGrant } from './authorization-code-grant.ts';
import { refreshTokenGrant } from './refresh-token-grant.ts';
import type { GrantDependencies, TokenGrant, TokenRequestForm } from './token-grant.ts';

export interface OidcTokenDependencies extends GrantDependencies {
  /** Our issuer URL, exactly as in discovery. */
  readonly issuer: string;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly clock: Clock;
  readonly clients: Pick<ClientStore, 'find'>;
  readonly assertionReplay: AssertionReplayStore;
  /** How far ahead a client assertion's `exp` may be; an hour unless given. */
  readonly maxAssertionLifetimeSeconds?: number;
  /** When given, a grant's deferred writes (its audit event, the login identity) are made in one call. */
  readonly writes?: WriteCollector;
}

const grants: readonly TokenGrant[] = [authorizationCodeGrant, refreshTokenGrant];

/** The longest value of each token request parameter (any other: `inputLimits.field`). */
const tokenParameterLimits = {
  grant_type: inputLimits.keyword,
  client_assertion_type: inputLimits.keyword,
  client_assertion: inputLimits.jwt,
  client_id: inputLimits.clientId,
  code: inputLimits.opaqueToken,
  refresh_token: inputLimits.opaqueToken,
  code_verifier: inputLimits.pkce,
  redirect_uri: inputLimits.redirectUri,
  scope: inputLimits.scope,
} as const;

/** Every parameter once, as a string: RFC 6749 3.2 forbids repeating one. Unknown ones are ignored. */
const tokenRequestSchema = z.record(z.string(), z.string({ error: 'must be sent once, as a string' }));

const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;
/** An HTTP authentication scheme name (RFC 9110 token). */
const AUTH_SCHEME = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*$/;

/** Token responses, errors included, must never be cached (RFC 6749 5.1 and 5.2). */
const noCache = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * invalid_client for a client that tried HTTP authentication (client_secret_basic): RFC 6749 5.2
 * wants a 401 with a challenge in the scheme it used.
 */
class ChallengedInvalidClientError extends InvalidClientError {
  readonly challenge: string;

  constructor(error: InvalidClientError, challenge: string) {
    super(error.description, { logDetail: error.logDetail, cause: error });
    this.challenge = challenge;
  }
}

const presentTokenError: ErrorPresenter = (classified) => {
  const response = presentAsJson(classified);
  const error = classified.cause;
  const challenge: Record<string, string> =
    error instanceof ChallengedInvalidClientError ? { 'www-authenticate': error.challenge } : {};
  return { ...response, headers: { ...response.headers, ...noCache, ...challenge } };
};

const grantFor = (grantType: string | undefined): TokenGrant => {
  if (!grantType) throw new InvalidRequestError('grant_type is required.');
  const grant = grants.find((candidate) => candidate.grantType === grantType);
  if (!grant) {
    const named = quoteForDescription(grantType);
    throw new UnsupportedGrantTypeError(
      `The grant_type ${named ? `${named} ` : ''}is not supported; use authorization_code or refresh_token.`,
    );
  }
  return grant;
};

/** The token endpoint (RFC 6749 3.2): private_key_jwt client authentication, then the grant. */
export const createHandler = (deps: OidcTokenDependencies): HttpHandler => {
  const tokenEndpoint = `${deps.issuer}${routePath('token')}`;

  const authenticate = async (
    form: TokenRequestForm,
    authorization: string | undefined,
  ): Promise<RelyingPartyClient> => {
    try {
      return await authenticateClient(
        form,
        {
          clients: deps.clients,
          tokenEndpoint,
          issuer: deps.issuer,
          replayStore: deps.assertionReplay,
          clock: deps.clock,
          maxAssertionLifetimeSeconds:
            deps.maxAssertionLifetimeSeconds ?? DEFAULT_MAX_ASSERTION_LIFETIME_SECONDS,
        },
        { authorization },
      );
    } catch (error) {
      if (!(error instanceof InvalidClientError) || authorization === undefined) throw error;
      const scheme = authorization.trim().split(/\s+/)[0] ?? '';
      const challenge = `${AUTH_SCHEME.test(scheme) ? scheme : 'Basic'} realm="${deps.issuer}"`;
      throw new ChallengedInvalidClientError(error, challenge);
    }
  };

  /** The request's steps: the form, the client's authentication, then the grant. */
  const tokenResponse = async ({ body, event }: { body: Record<string, string>; event: HttpEvent }) => {
    if (event.body !== undefined && !FORM_CONTENT_TYPE.test(event.headers['content-type'] ?? ''))
      throw new InvalidRequestError('The token request must be application/x-www-form-urlencoded.');
    const form: TokenRequestForm = body;
    checkLengths(form, tokenParameterLimits);
    const client = await authenticate(form, event.headers.authorization);
    const grant = grantFor(form.grant_type);
    for (const parameter of grant.parameters)
      if (!form[parameter]) throw new InvalidRequestError(`${parameter} is required.`);
    // The grant's audit event and the login identity it issued: one call, once it is done.
    const work = await (deps.writes ?? writeAtOnce).collect(() => grant.handle(form, client, deps));
    await work.write();
    if (work.outcome.status === 'rejected') throw work.outcome.reason;
    return jsonResponse(200, work.outcome.value, noCache);
  };

  return createHttpHandler({
    functionName: 'oidc-token',
    logger: deps.logger,
    metrics: deps.metrics,
    presentError: presentTokenError,
    routes: {
      token: defineRoute({
        body: tokenRequestSchema,
        handle: async (input) => {
          // Each request counted by its grant and outcome: issued, or the OAuth error the client got.
          const grantType = grants.find((grant) => grant.grantType === input.body.grant_type)?.grantType;
          try {
            const response = await tokenResponse(input);
            deps.metrics.add('TokenRequests', { grant: grantType ?? 'other', outcome: 'issued' });
            return response;
          } catch (error) {
            const outcome = error instanceof DomainError ? error.code : 'server_error';
            deps.metrics.add('TokenRequests', { grant: grantType ?? 'other', outcome });
            throw error;
          }
        },
      }),
    },
  });
};
