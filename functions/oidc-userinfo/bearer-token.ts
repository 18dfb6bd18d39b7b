import { InvalidRequestError } from '../../src/domain/errors.ts';
import { inputLimits, ParameterTooLongError } from '../../src/domain/input-limits.ts';
import { InsufficientScopeError, InvalidTokenError } from '../../src/domain/oidc/oidc-errors.ts';
import type { Scope } from '../../src/domain/oidc/scopes.ts';
import type { HttpEvent } from '../../src/platform/http/http-types.ts';

/**
 * No access token at all. RFC 6750 3.1: the answer is a bare `WWW-Authenticate: Bearer`
 * challenge, with no error code, since the client may simply not have known one was needed.
 */
export class BearerTokenMissingError extends InvalidTokenError {
  constructor() {
    super('An access token is required.', { logDetail: 'no bearer token' });
  }
}

/** A valid access token without the scope this request needs, which the challenge names. */
export class MissingScopeError extends InsufficientScopeError {
  readonly scope: Scope;

  constructor(scope: Scope) {
    super(`The access token does not have the ${scope} scope.`);
    this.scope = scope;
  }
}

const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;
const BEARER = /^Bearer +(\S+) *$/i;

const fromHeader = (event: HttpEvent): string | undefined => {
  const authorization = event.headers.authorization;
  if (authorization === undefined) return undefined;
  // Any other scheme (Basic, DPoP) carries no bearer token: the client is told to send one.
  const match = BEARER.exec(authorization.trim());
  return match?.[1];
};

/** RFC 6750 2.2: a form-encoded `access_token` in the body of a POST. */
const fromForm = (event: HttpEvent): string | undefined => {
  if (!FORM_CONTENT_TYPE.test(event.headers['content-type'] ?? '')) return undefined;
  const value = (event.body as unknown as Record<string, unknown> | undefined)?.access_token;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidRequestError('access_token must be sent once.');
  return value === '' ? undefined : value;
};

/**
 * The access token of a UserInfo request: from the `Authorization: Bearer` header, or (for a POST)
 * the form body (RFC 6750 2.1 and 2.2). More than one way is invalid_request (RFC 6750 2), and so
 * is the query string, refused rather than ignored because it leaves the token in every log on
 * the way.
 */
export const bearerToken = (event: HttpEvent, options: { readonly formBody: boolean }): string => {
  if (event.queryStringParameters?.access_token !== undefined)
    throw new InvalidRequestError('Send the access token in the Authorization header, not the query string.');
  const inHeader = fromHeader(event);
  const inForm = options.formBody ? fromForm(event) : undefined;
  if (inHeader !== undefined && inForm !== undefined)
    throw new InvalidRequestError('Send the access token one way only: the header or the form body.');
  const token = inHeader ?? inForm;
  if (token === undefined) throw new BearerTokenMissingError();
  if (token.length > inputLimits.jwt) throw new ParameterTooLongError('access_token', inputLimits.jwt);
  return token;
};
