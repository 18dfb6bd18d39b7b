import type { RelyingPartyClient } from '../clients/relying-party-client.ts';
import { ProtocolError } from '../errors.ts';
import { checkLengths, inputLimits } from '../input-limits.ts';
import {
  type AuthorizationErrorCode,
  InvalidRequestError,
  InvalidScopeError,
  isAuthorizationErrorCode,
  quoteForDescription,
  RegistrationNotSupportedError,
  RequestNotSupportedError,
  RequestUriNotSupportedError,
  toDescriptionCharset,
  UnsupportedResponseTypeError,
} from './oidc-errors.ts';
import { isScope, type Scope } from './scopes.ts';
import {
  defaultVtr,
  isVectorOfTrust,
  parseVtr,
  type RequestedVector,
  vectorsOutsideRegistration,
} from './vectors-of-trust.ts';

export type Prompt = 'none' | 'login';

/** An authorize request that passed every check: what the rest of the journey works from. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  /** In the order asked, each once; always includes `openid`. */
  readonly scopes: readonly Scope[];
  readonly state: string;
  readonly nonce: string;
  /** Within the client's registered vectors; the registered default vectors when none was sent. */
  readonly vtr: readonly RequestedVector[];
  readonly prompt?: Prompt;
  /** A PKCE S256 challenge (the only method accepted). */
  readonly codeChallenge?: string;
  /** False when the client is registered without it or the request sent allow_registration=false. */
  readonly allowRegistration: boolean;
  /** Passed on as sent, for the single sign-on check to verify. */
  readonly assertedLoginIdentity?: string;
}

/** Problems shown to the patient as a page, because the redirect_uri cannot be trusted. */
export type AuthorizationPageProblem = 'unknown-service' | 'invalid-redirect';

export type AuthorizationOutcome =
  | { readonly kind: 'valid'; readonly request: AuthorizationRequest }
  | { readonly kind: 'page'; readonly problem: AuthorizationPageProblem; readonly logDetail: string }
  | {
      readonly kind: 'redirect';
      readonly redirectUri: string;
      readonly error: AuthorizationErrorCode;
      readonly description: string;
      /** Absent when the request had no state (a missing state is one of the errors). */
      readonly state?: string;
    };

/** The query or form parameters, as decoded strings. */
export type AuthorizationParameters = Readonly<Record<string, string | undefined>>;

export type ClientLookup = (clientId: string) => Promise<RelyingPartyClient | undefined>;

type Read = (name: string) => string | undefined;

/** The base64url SHA-256 of a code verifier is always 43 characters: anything else can never match. */
const S256_CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Checks an authorize request (reference section 2.1). Until client_id and redirect_uri are
 * verified, problems are shown to the patient as a page; after that they go back to the
 * redirect_uri with `error`, `error_description` and `state`. Unknown parameters are ignored;
 * an empty parameter counts as absent (RFC 6749 §3.1).
 */
export const validateAuthorizationRequest = async (
  params: AuthorizationParameters,
  lookup: ClientLookup,
): Promise<AuthorizationOutcome> => {
  const read = reader(params);
  const clientId = read('client_id');
  if (clientId !== undefined && clientId.length > inputLimits.clientId)
    return { kind: 'page', problem: 'unknown-service', logDetail: `client_id over ${inputLimits.clientId}` };
  const client = clientId === undefined ? undefined : await lookup(clientId);
  if (client === undefined) {
    const logDetail = clientId === undefined ? 'no client_id' : 'the client_id is not registered';
    return { kind: 'page', problem: 'unknown-service', logDetail };
  }
  const redirectUri = read('redirect_uri');
  if (
    redirectUri === undefined ||
    redirectUri.length > inputLimits.redirectUri ||
    !client.redirectUris.includes(redirectUri)
  ) {
    const logDetail =
      redirectUri === undefined
        ? `no redirect_uri for client ${client.clientId}`
        : `a redirect_uri not registered for client ${client.clientId}`;
    return { kind: 'page', problem: 'invalid-redirect', logDetail };
  }
  try {
    checkLengths(params, authorizeParameterLimits);
    return { kind: 'valid', request: readRequest(read, client, redirectUri) };
  } catch (error) {
    if (!(error instanceof ProtocolError && isAuthorizationErrorCode(error.code))) throw error;
    // A state too long to keep is not sent back either.
    const state = read('state');
    const keptState = state !== undefined && state.length <= inputLimits.state ? state : undefined;
    return {
      kind: 'redirect',
      redirectUri,
      error: error.code,
      description: error.description,
      ...(keptState === undefined ? {} : { state: keptState }),
    };
  }
};

/** The longest value of each authorization request parameter (any other: `inputLimits.field`). */
const authorizeParameterLimits = {
  state: inputLimits.state,
  nonce: inputLimits.nonce,
  scope: inputLimits.scope,
  vtr: inputLimits.vtr,
  response_type: inputLimits.keyword,
  response_mode: inputLimits.keyword,
  prompt: inputLimits.keyword,
  max_age: inputLimits.keyword,
  code_challenge: inputLimits.pkce,
  code_challenge_method: inputLimits.keyword,
  allow_registration: inputLimits.keyword,
  asserted_login_identity: inputLimits.jwt,
} as const;

/**
 * The URL that returns an error to a relying party: its registered redirect_uri with `error`,
 * `error_description` (kept within RFC 6749's charset), `state` and our `iss` (RFC 9207) added to
 * the query, and no fragment.
 */
export const errorRedirect = (
  redirectUri: string,
  response: {
    readonly error: string;
    readonly description?: string;
    readonly state?: string;
    readonly issuer: string;
  },
): string => {
  const url = new URL(redirectUri);
  url.hash = '';
  url.searchParams.append('error', response.error);
  if (response.description !== undefined) {
    url.searchParams.append('error_description', toDescriptionCharset(response.description));
  }
  if (response.state !== undefined) url.searchParams.append('state', response.state);
  url.searchParams.append('iss', response.issuer);
  return url.href;
};

/**
 * The URL that returns a code: the redirect_uri with `code`, `state` and `iss` (RFC 9207: a client
 * talking to several providers can tell which one answered, so a code cannot be mixed up).
 */
export const codeRedirect = (
  redirectUri: string,
  response: { readonly code: string; readonly state: string; readonly issuer: string },
): string => {
  const url = new URL(redirectUri);
  url.hash = '';
  url.searchParams.set('code', response.code);
  url.searchParams.set('state', response.state);
  url.searchParams.set('iss', response.issuer);
  return url.href;
};

const reader =
  (params: AuthorizationParameters): Read =>
  (name) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

/** The checks after the redirect_uri is trusted, in order; each throws the error the spec names. */
const readRequest = (read: Read, client: RelyingPartyClient, redirectUri: string): AuthorizationRequest => {
  checkResponseType(read('response_type'));
  checkRequestObjects(read);
  checkResponseMode(read('response_mode'));
  const scopes = readScopes(read('scope'), client);
  const state = required(read, 'state', 'it comes back unchanged so the service can match the response');
  const nonce = required(read, 'nonce', 'it is put in the ID token; make it unguessable');
  const prompt = readPrompt(read('prompt'));
  checkMaxAge(read('max_age'));
  const vtr = readVtr(read('vtr'), client);
  const codeChallenge = readCodeChallenge(read('code_challenge'), read('code_challenge_method'), client);
  const assertedLoginIdentity = read('asserted_login_identity');
  return {
    clientId: client.clientId,
    redirectUri,
    scopes,
    state,
    nonce,
    vtr,
    ...(prompt === undefined ? {} : { prompt }),
    ...(codeChallenge === undefined ? {} : { codeChallenge }),
    allowRegistration: client.allowRegistration && read('allow_registration') !== 'false',
    ...(assertedLoginIdentity === undefined ? {} : { assertedLoginIdentity }),
  };
};

const checkResponseType = (responseType: string | undefined): void => {
  if (responseType === undefined) throw new InvalidRequestError('response_type is required: send code');
  if (responseType !== 'code') {
    const value = quoteForDescription(responseType);
    throw new UnsupportedResponseTypeError(
      `response_type${value === undefined ? '' : ` ${value}`} is not supported: send code`,
    );
  }
};

const checkRequestObjects = (read: Read): void => {
  if (read('request') !== undefined) {
    throw new RequestNotSupportedError(
      'request objects are not supported: send the parameters in the query or the form',
    );
  }
  if (read('request_uri') !== undefined) {
    throw new RequestUriNotSupportedError(
      'request_uri is not supported: send the parameters in the query or the form',
    );
  }
  if (read('registration') !== undefined) {
    throw new RegistrationNotSupportedError(
      'registration is not supported: clients are registered in advance',
    );
  }
};

const checkResponseMode = (responseMode: string | undefined): void => {
  if (responseMode !== undefined && responseMode !== 'query') {
    throw new InvalidRequestError('response_mode must be query, or left out');
  }
};

const readScopes = (scope: string | undefined, client: RelyingPartyClient): Scope[] => {
  if (scope === undefined) throw new InvalidRequestError('scope is required and must include openid');
  const asked = [...new Set(scope.split(' ').filter((value) => value !== ''))];
  if (!asked.includes('openid')) throw new InvalidScopeError('scope must include openid');
  const refused = asked.filter((value) => !isScope(value) || !client.scopes.includes(value));
  if (refused.length > 0) {
    const named = refused.map(quoteForDescription).filter((value) => value !== undefined);
    throw new InvalidScopeError(
      `scope asks for what this client is not registered for${named.length === 0 ? '' : `: ${named.join(', ')}`}`,
    );
  }
  if (asked.includes('profile') && asked.includes('basic_demographics')) {
    throw new InvalidScopeError('scope may include profile or basic_demographics, not both');
  }
  return asked as Scope[];
};

const required = (read: Read, name: string, why: string): string => {
  const value = read(name);
  if (value === undefined) throw new InvalidRequestError(`${name} is required: ${why}`);
  return value;
};

const readPrompt = (prompt: string | undefined): Prompt | undefined => {
  if (prompt === undefined || prompt === 'none' || prompt === 'login') return prompt;
  const value = quoteForDescription(prompt);
  throw new InvalidRequestError(
    `prompt${value === undefined ? '' : ` ${value}`} is not supported: send none or login, or leave prompt out`,
  );
};

/** Ignoring max_age would let an older login through than the service asked for, so it is refused. */
const checkMaxAge = (maxAge: string | undefined): void => {
  if (maxAge !== undefined) {
    throw new InvalidRequestError(
      'max_age is not supported: send prompt=login to have the patient log in again, and check auth_time',
    );
  }
};

const readVtr = (raw: string | undefined, client: RelyingPartyClient): readonly RequestedVector[] => {
  const parsed = parseVtr(raw);
  if (!parsed.valid) throw new InvalidRequestError(parsed.problem);
  if (raw === undefined) {
    // The default stands for "any of these": narrowing it to the registered ones widens nothing.
    const registered = defaultVtr.filter((vector) => client.vectorsOfTrust.includes(vector));
    if (registered.length > 0) return registered;
    throw new InvalidRequestError(
      `no vtr was sent, and this client is not registered for any default vector (${defaultVtr.join(', ')}): send a vtr`,
    );
  }
  const outside = vectorsOutsideRegistration(parsed.vectors, client.vectorsOfTrust);
  if (outside.length === 0) return parsed.vectors;
  const partial = outside.some((vector) => !isVectorOfTrust(vector));
  throw new InvalidRequestError(
    `vtr asks for ${outside.join(', ')}, which this client is not registered for${
      partial
        ? ' (a vector without a proofing level or without credentials stands for every value of that part)'
        : ''
    }`,
  );
};

const readCodeChallenge = (
  challenge: string | undefined,
  method: string | undefined,
  client: RelyingPartyClient,
): string | undefined => {
  if (challenge === undefined) {
    if (method !== undefined) {
      throw new InvalidRequestError('code_challenge_method was sent without a code_challenge');
    }
    if (client.pkceRequired) {
      throw new InvalidRequestError(
        'this client must use PKCE: send a code_challenge with code_challenge_method=S256',
      );
    }
    return undefined;
  }
  if (method === undefined) {
    throw new InvalidRequestError(
      'code_challenge_method is missing, which means plain: send code_challenge_method=S256',
    );
  }
  if (method !== 'S256') {
    throw new InvalidRequestError(
      `code_challenge_method must be S256${method === 'plain' ? ' (plain is not accepted)' : ''}`,
    );
  }
  if (!S256_CODE_CHALLENGE.test(challenge)) {
    throw new InvalidRequestError(
      'code_challenge must be the base64url SHA-256 of the code verifier: 43 characters of A-Z, a-z, 0-9, - and _, without padding',
    );
  }
  return challenge;
};
