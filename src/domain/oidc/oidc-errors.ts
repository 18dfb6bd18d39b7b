import { ProtocolError } from '../errors.ts';

/**
 * OAuth 2.0 / OpenID Connect protocol errors, one class per `error` value NHS login's
 * specification names (reference section 5.1; RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1,
 * OpenID Connect Core §3.1.2.6). `description` becomes `error_description`, so it must stay
 * within RFC 6749's charset: printable ASCII without `"` or `\`. At /authorize the status does not
 * reach anyone (the error is redirected); it is the status for the other endpoints.
 *
 * These are what a relying party is told. The infrastructure errors in errors.ts
 * (ServiceUnavailableError, MisconfigurationError) share the codes temporarily_unavailable and
 * server_error but stand for a failing dependency or deployment, not a protocol outcome.
 */

// Defined in errors.ts, where the HTTP edge uses it for malformed input; one class per code.
export { InvalidRequestError } from '../errors.ts';

export class UnauthorizedClientError extends ProtocolError {
  readonly code = 'unauthorized_client';
  readonly status = 400;
}

export class AccessDeniedError extends ProtocolError {
  readonly code = 'access_denied';
  readonly status = 403;
}

export class UnsupportedResponseTypeError extends ProtocolError {
  readonly code = 'unsupported_response_type';
  readonly status = 400;
}

export class InvalidScopeError extends ProtocolError {
  readonly code = 'invalid_scope';
  readonly status = 400;
}

export class ServerError extends ProtocolError {
  readonly code = 'server_error';
  readonly status = 500;
}

export class TemporarilyUnavailableError extends ProtocolError {
  readonly code = 'temporarily_unavailable';
  readonly status = 503;
}

/** prompt=none and no session a patient could continue without logging in. */
export class LoginRequiredError extends ProtocolError {
  readonly code = 'login_required';
  readonly status = 400;
}

/** NHS login's code for prompt=none when its single sign-on checks fail (EIS v1.13). */
export class SsoLoginRequiredError extends ProtocolError {
  readonly code = 'sso_login_required';
  readonly status = 400;
}

export class ConsentRequiredError extends ProtocolError {
  readonly code = 'consent_required';
  readonly status = 400;
}

export class InteractionRequiredError extends ProtocolError {
  readonly code = 'interaction_required';
  readonly status = 400;
}

/** Client authentication failed at the token endpoint (RFC 6749 §5.2: 401). */
export class InvalidClientError extends ProtocolError {
  readonly code = 'invalid_client';
  readonly status = 401;
}

export class InvalidGrantError extends ProtocolError {
  readonly code = 'invalid_grant';
  readonly status = 400;
}

export class UnsupportedGrantTypeError extends ProtocolError {
  readonly code = 'unsupported_grant_type';
  readonly status = 400;
}

/** A bearer token that is missing, expired, revoked or malformed (RFC 6750 §3.1: 401 with WWW-Authenticate). */
export class InvalidTokenError extends ProtocolError {
  readonly code = 'invalid_token';
  readonly status = 401;
}

/** A valid bearer token without the scope the request needs (RFC 6750 §3.1: 403). */
export class InsufficientScopeError extends ProtocolError {
  readonly code = 'insufficient_scope';
  readonly status = 403;
}

export class RequestNotSupportedError extends ProtocolError {
  readonly code = 'request_not_supported';
  readonly status = 400;
}

export class RequestUriNotSupportedError extends ProtocolError {
  readonly code = 'request_uri_not_supported';
  readonly status = 400;
}

export class RegistrationNotSupportedError extends ProtocolError {
  readonly code = 'registration_not_supported';
  readonly status = 400;
}

/** The `error` values /authorize may send back to a relying party's redirect_uri. */
export const authorizationErrorCodes = [
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'login_required',
  'sso_login_required',
  'consent_required',
  'interaction_required',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
] as const;

export type AuthorizationErrorCode = (typeof authorizationErrorCodes)[number];

export const isAuthorizationErrorCode = (code: string): code is AuthorizationErrorCode =>
  (authorizationErrorCodes as readonly string[]).includes(code);

/** RFC 6749's charset for `error_description`: printable ASCII without `"` and `\`. */
const DESCRIPTION_CHARACTER = /[\x20-\x21\x23-\x5B\x5D-\x7E]/;

/** Replaces each character an `error_description` may not carry with `?`. */
export const toDescriptionCharset = (description: string): string =>
  [...description].map((character) => (DESCRIPTION_CHARACTER.test(character) ? character : '?')).join('');

/**
 * A relying party's value, single-quoted for an error description when it is short and plain
 * (so nothing it sent is reflected that could mislead or break a page), or undefined.
 */
export const quoteForDescription = (value: string): string | undefined =>
  /^[A-Za-z0-9_.:/ -]{1,64}$/.test(value) ? `'${value}'` : undefined;
