import { describe, expect, it } from 'vitest';
import {
  InvalidRequestError as EdgeInvalidRequestError,
  ProtocolError,
} from '../../../../src/domain/errors.ts';
import {
  AccessDeniedError,
  authorizationErrorCodes,
  ConsentRequiredError,
  InsufficientScopeError,
  InteractionRequiredError,
  InvalidClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTokenError,
  isAuthorizationErrorCode,
  LoginRequiredError,
  quoteForDescription,
  RegistrationNotSupportedError,
  RequestNotSupportedError,
  RequestUriNotSupportedError,
  ServerError,
  SsoLoginRequiredError,
  TemporarilyUnavailableError,
  toDescriptionCharset,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
  UnsupportedResponseTypeError,
} from '../../../../src/domain/oidc/oidc-errors.ts';

describe('protocol errors', () => {
  it.each([
    ['InvalidRequestError', 'invalid_request', 400, InvalidRequestError],
    ['UnauthorizedClientError', 'unauthorized_client', 400, UnauthorizedClientError],
    ['AccessDeniedError', 'access_denied', 403, AccessDeniedError],
    ['UnsupportedResponseTypeError', 'unsupported_response_type', 400, UnsupportedResponseTypeError],
    ['InvalidScopeError', 'invalid_scope', 400, InvalidScopeError],
    ['ServerError', 'server_error', 500, ServerError],
    ['TemporarilyUnavailableError', 'temporarily_unavailable', 503, TemporarilyUnavailableError],
    ['LoginRequiredError', 'login_required', 400, LoginRequiredError],
    ['SsoLoginRequiredError', 'sso_login_required', 400, SsoLoginRequiredError],
    ['ConsentRequiredError', 'consent_required', 400, ConsentRequiredError],
    ['InteractionRequiredError', 'interaction_required', 400, InteractionRequiredError],
    ['InvalidClientError', 'invalid_client', 401, InvalidClientError],
    ['InvalidGrantError', 'invalid_grant', 400, InvalidGrantError],
    ['UnsupportedGrantTypeError', 'unsupported_grant_type', 400, UnsupportedGrantTypeError],
    ['InvalidTokenError', 'invalid_token', 401, InvalidTokenError],
    ['InsufficientScopeError', 'insufficient_scope', 403, InsufficientScopeError],
    ['RequestNotSupportedError', 'request_not_supported', 400, RequestNotSupportedError],
    ['RequestUriNotSupportedError', 'request_uri_not_supported', 400, RequestUriNotSupportedError],
    ['RegistrationNotSupportedError', 'registration_not_supported', 400, RegistrationNotSupportedError],
  ] as const)('%s carries the error %s with status %i', (_name, code, status, ErrorClass) => {
    // Act
    const error = new ErrorClass('what the client may read', { logDetail: 'for logs only' });

    // Assess
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code,
      status,
      description: 'what the client may read',
      logDetail: 'for logs only',
      name: ErrorClass.name,
    });
  });

  it('uses the one invalid_request class the HTTP edge throws too', () => {
    // Assess
    expect(InvalidRequestError).toBe(EdgeInvalidRequestError);
  });

  it('lists the errors /authorize may redirect, and not the token or userinfo ones', () => {
    // Assess
    expect(authorizationErrorCodes).toHaveLength(14);
    expect(isAuthorizationErrorCode('sso_login_required')).toBe(true);
    expect(isAuthorizationErrorCode('invalid_grant')).toBe(false);
    expect(isAuthorizationErrorCode('invalid_token')).toBe(false);
    expect(isAuthorizationErrorCode('invalid_client')).toBe(false);
  });
});

describe('error descriptions', () => {
  it('keeps printable ASCII apart from double quote and backslash', () => {
    // Act
    const description = toDescriptionCharset("vtr item 1 ('P9.Cp') is fine: [ok] {ok} ~!");

    // Assess
    expect(description).toBe("vtr item 1 ('P9.Cp') is fine: [ok] {ok} ~!");
  });

  it('replaces quotes, backslashes, control characters and non-ASCII with ?', () => {
    // Act
    const description = toDescriptionCharset('a "b" \\ c\nd\te ” 😀');

    // Assess
    expect(description).toBe('a ?b? ? c?d?e ? ?');
  });

  it.each([
    ['P9.Cp.Cd', "'P9.Cp.Cd'"],
    ['code id_token', "'code id_token'"],
    ['https://auth.example/Users.retrieve', "'https://auth.example/Users.retrieve'"],
  ])('quotes the plain value %s', (value, quoted) => {
    // Act
    const result = quoteForDescription(value);

    // Assess
    expect(result).toBe(quoted);
  });

  it.each(['', '<script>', "it's", 'a"b', 'é', 'x'.repeat(65), 'line\nbreak'])(
    'does not quote %j, which could mislead or break a page',
    (value) => {
      // Act
      const result = quoteForDescription(value);

      // Assess
      expect(result).toBeUndefined();
    },
  );
});
