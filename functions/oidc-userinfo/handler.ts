import * as z from 'zod/mini';
import type { Account, AccountStore } from '../../src/domain/accounts/account.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { InvalidRequestError } from '../../src/domain/errors.ts';
import { openGpCredentials, type SecretBox } from '../../src/domain/identity/secret-box.ts';
import { mayHaveGpCredentials, userInfoClaims } from '../../src/domain/oidc/claims.ts';
import type { ClientMetadata } from '../../src/domain/oidc/client-metadata.ts';
import { InvalidTokenError, toDescriptionCharset } from '../../src/domain/oidc/oidc-errors.ts';
import type { Scope } from '../../src/domain/oidc/scopes.ts';
import { type VerifiedAccessToken, verifyAccessToken } from '../../src/domain/oidc/token-issuer.ts';
import type { TokenSigner } from '../../src/domain/tokens/token-signer.ts';
import { type ErrorPresenter, presentAsJson } from '../../src/platform/http/error-mapper.ts';
import { createHttpHandler, defineRoute } from '../../src/platform/http/http-handler.ts';
import type { HttpEvent, HttpHandler, HttpResponse } from '../../src/platform/http/http-types.ts';
import { jsonResponse } from '../../src/platform/http/responses.ts';
import { logMessages } from '../../src/platform/log-messages.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { ServiceMetrics } from '../../src/platform/metrics.ts';
import { BearerTokenMissingError, bearerToken, MissingScopeError } from './bearer-token.ts';

export interface OidcUserinfoDependencies {
  /** Our issuer URL, exactly as in discovery: access tokens must name it. */
  readonly issuer: string;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly clock: Clock;
  readonly signer: Pick<TokenSigner, 'jwks'>;
  readonly accounts: Pick<AccountStore, 'findBySubject'>;
  readonly clientMetadata: Pick<ClientMetadata, 'read' | 'write'>;
  /** Opens the sealed GP integration credentials: this function is the only one allowed to. */
  readonly secrets: Pick<SecretBox, 'open'>;
}

/** The error codes a Bearer challenge carries (RFC 6750 3.1). */
const bearerErrorCodes = new Set(['invalid_request', 'invalid_token', 'insufficient_scope']);

/** Errors as JSON, with the RFC 6750 challenge; no token at all is a bare 401 `Bearer` challenge. */
const presentUserinfoError: ErrorPresenter = (classified) => {
  const error = classified.cause;
  if (error instanceof BearerTokenMissingError)
    return {
      statusCode: 401,
      headers: { 'www-authenticate': 'Bearer', 'cache-control': 'no-store' },
      body: '',
    };
  const response = presentAsJson(classified);
  if (!bearerErrorCodes.has(classified.code)) return response;
  const scope = error instanceof MissingScopeError ? `, scope="${error.scope}"` : '';
  const challenge = `Bearer error="${classified.code}", error_description="${toDescriptionCharset(classified.description)}"${scope}`;
  return { ...response, headers: { ...response.headers, 'www-authenticate': challenge } };
};

/** PATCH /userinfo: only this member, a string (reference 2.7). */
const metadataSchema = z.strictObject({ client_user_metadata: z.string() });

const readMetadata = (body: unknown): string => {
  const result = metadataSchema.safeParse(body);
  if (!result.success)
    throw new InvalidRequestError(
      'The body must be a JSON object with client_user_metadata, a string, only.',
    );
  return result.data.client_user_metadata;
};

/** The UserInfo endpoint: the claims an access token's scopes allow, and the client's user metadata. */
export const createHandler = (deps: OidcUserinfoDependencies): HttpHandler => {
  /** The access token, which must have `scope`, and the patient it names. */
  const authorize = async (
    event: HttpEvent,
    scope: Scope,
    options: { readonly formBody: boolean },
  ): Promise<{ accessToken: VerifiedAccessToken; account: Account }> => {
    const token = bearerToken(event, options);
    const accessToken = await verifyAccessToken(token, {
      jwks: await deps.signer.jwks(),
      issuer: deps.issuer,
      clock: deps.clock,
    });
    if (!accessToken.scopes.includes(scope)) throw new MissingScopeError(scope);
    const account = await deps.accounts.findBySubject(accessToken.sub);
    if (!account)
      throw new InvalidTokenError('The access token is invalid.', { logDetail: 'subject has no account' });
    return { accessToken, account };
  };

  /**
   * The account with its GP credentials opened, only when the token may see them: its scope, and
   * a P9 login with a second factor (the claims check the same). Credentials that cannot be
   * opened leave that one claim out, logged for the alarm, rather than failing the response.
   */
  const withGpCredentials = async (account: Account, accessToken: VerifiedAccessToken): Promise<Account> => {
    const identity = account.identity;
    const sealed = identity?.sealedGpIntegrationCredentials;
    if (
      !sealed ||
      !accessToken.scopes.includes('gp_integration_credentials') ||
      !mayHaveGpCredentials(accessToken.vot)
    )
      return account;
    try {
      const gpIntegrationCredentials = await openGpCredentials(deps.secrets, sealed);
      return { ...account, identity: { ...identity, gpIntegrationCredentials } };
    } catch (error) {
      deps.logger.error({
        ...logMessages.gpCredentialsUnopened,
        logDetail: error instanceof Error ? error.name : 'unknown',
      });
      return account;
    }
  };

  const userInfo = async (
    event: HttpEvent,
    options: { readonly formBody: boolean },
  ): Promise<HttpResponse> => {
    const { accessToken, account } = await authorize(event, 'openid', options);
    const clientUserMetadata = accessToken.scopes.includes('client_metadata')
      ? await deps.clientMetadata.read(account.accountId, accessToken.clientId)
      : undefined;
    return jsonResponse(
      200,
      userInfoClaims(await withGpCredentials(account, accessToken), accessToken.scopes, {
        clientUserMetadata,
        vot: accessToken.vot,
      }),
    );
  };

  return createHttpHandler({
    functionName: 'oidc-userinfo',
    logger: deps.logger,
    metrics: deps.metrics,
    presentError: presentUserinfoError,
    routes: {
      userinfo: defineRoute({ handle: ({ event }) => userInfo(event, { formBody: false }) }),
      'userinfo-submit': defineRoute({ handle: ({ event }) => userInfo(event, { formBody: true }) }),
      'userinfo-metadata': defineRoute({
        // The body is read after the token is checked, so a caller without one learns nothing from it.
        handle: async ({ event }) => {
          const { accessToken, account } = await authorize(event, 'client_metadata', { formBody: false });
          await deps.clientMetadata.write(account.accountId, accessToken.clientId, readMetadata(event.body));
          return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
        },
      }),
    },
  });
};
