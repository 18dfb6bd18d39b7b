import { isScope, type Scope, supportedScopes } from '../oidc/scopes.ts';
import { allVectors, isVectorOfTrust, type VectorOfTrust } from '../oidc/vectors-of-trust.ts';
import { InvalidClientRegistrationError } from './client-errors.ts';
import { parseClientPublicKeys } from './client-public-keys.ts';
import type { RelyingPartyClient } from './relying-party-client.ts';

export const MAXIMUM_REDIRECT_URIS = 10;
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** What an operator gives to register a client (from `npm run client -- add`). */
export interface ClientRegistrationRequest {
  readonly clientId?: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
  /** Where the end-session endpoint may send the patient after logging out. */
  readonly postLogoutRedirectUris?: readonly string[];
  /** A PEM public key, or a JWKS / JWK in JSON. */
  readonly publicKey: string;
  readonly scopes: readonly string[];
  readonly vectorsOfTrust: readonly string[];
  readonly allowRegistration?: boolean;
  readonly pkceRequired?: boolean;
  readonly refreshTokens?: boolean;
  /** The client_ids this client may hand its logged-in patients to with asserted_login_identity. */
  readonly singleSignOnPartners?: readonly string[];
}

export interface RegistrationContext {
  readonly newClientId: () => string;
  readonly now: () => Date;
  /** Whether http://localhost and http://127.0.0.1 redirect URIs are allowed: development stores only. */
  readonly allowLocalRedirects?: boolean;
}

/**
 * Validates every field of a registration and builds the client, or throws
 * InvalidClientRegistrationError listing every problem at once, in plain words.
 */
export const registerClient = async (
  request: ClientRegistrationRequest,
  context: RegistrationContext,
): Promise<RelyingPartyClient> => {
  const { keys, problems: keyProblems } = await parseClientPublicKeys(request.publicKey);
  const problems = [
    ...checkClientId(request.clientId),
    ...(request.singleSignOnPartners ?? []).flatMap(checkPartnerId),
    ...checkName(request.name),
    ...checkRedirectUris(request.redirectUris, context.allowLocalRedirects ?? false),
    ...(request.postLogoutRedirectUris ?? []).flatMap((uri) =>
      checkRedirectUri(uri, context.allowLocalRedirects ?? false),
    ),
    ...keyProblems,
    ...checkScopes(request.scopes),
    ...checkVectors(request.vectorsOfTrust),
  ];
  if (problems.length > 0) throw new InvalidClientRegistrationError(problems);
  return {
    clientId: request.clientId ?? context.newClientId(),
    name: request.name.trim(),
    redirectUris: [...request.redirectUris],
    postLogoutRedirectUris: [...new Set(request.postLogoutRedirectUris ?? [])],
    publicKeys: keys,
    scopes: [...new Set(request.scopes)] as Scope[],
    vectorsOfTrust: [...new Set(request.vectorsOfTrust)] as VectorOfTrust[],
    allowRegistration: request.allowRegistration ?? true,
    pkceRequired: request.pkceRequired ?? false,
    refreshTokens: request.refreshTokens ?? false,
    singleSignOnPartners: [...new Set(request.singleSignOnPartners ?? [])],
    createdAt: context.now().toISOString(),
  };
};

const checkClientId = (clientId: string | undefined): string[] =>
  clientId === undefined || CLIENT_ID_PATTERN.test(clientId)
    ? []
    : ['The client_id must be 3 to 64 characters: letters, digits, dots, hyphens or underscores.'];

const checkPartnerId = (clientId: string): string[] =>
  CLIENT_ID_PATTERN.test(clientId)
    ? []
    : [`"${clientId}" is not a client_id, so it cannot be a single sign-on partner.`];

const checkName = (name: string): string[] => {
  const length = name.trim().length;
  return length >= 1 && length <= 100
    ? []
    : ['The name must be 1 to 100 characters (patients see it on the consent page).'];
};

/**
 * Redirect URIs are exact strings in canonical form (so what is compared is what browsers go to):
 * https, or http on localhost / 127.0.0.1 where development URIs are allowed.
 */
export const checkRedirectUri = (uri: string, allowLocal: boolean): string[] => {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return [
      `"${uri}" is not an absolute URL (it needs a scheme and a host, e.g. https://app.example/callback).`,
    ];
  }
  const problems: string[] = [];
  const local = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(local && allowLocal)) {
    problems.push(
      allowLocal
        ? `"${uri}" must use https (http is allowed only for localhost and 127.0.0.1).`
        : `"${uri}" must use https.`,
    );
  }
  if (url.href !== uri) {
    problems.push(`"${uri}" is not written in its standard form; register it exactly as "${url.href}".`);
  }
  if (url.hostname.endsWith('.')) problems.push(`"${uri}" has a host ending in a dot; remove the dot.`);
  if (uri.includes('*')) problems.push(`"${uri}" contains a wildcard; register each exact URI instead.`);
  if (uri.includes('#')) problems.push(`"${uri}" has a fragment (#...), which redirect URIs must not have.`);
  if (url.search !== '' || uri.includes('?')) {
    problems.push(
      `"${uri}" has a query string; register the URI without it and route with the state parameter.`,
    );
  }
  if (url.username !== '' || url.password !== '')
    problems.push(`"${uri}" must not contain a user name or password.`);
  return problems;
};

const checkRedirectUris = (uris: readonly string[], allowLocal: boolean): string[] => {
  if (uris.length === 0) return ['Give at least one redirect URI.'];
  const problems = uris.flatMap((uri) => checkRedirectUri(uri, allowLocal));
  if (uris.length > MAXIMUM_REDIRECT_URIS) {
    problems.push(
      `A client may have at most ${MAXIMUM_REDIRECT_URIS} redirect URIs; use the state parameter to route beyond that.`,
    );
  }
  if (new Set(uris).size !== uris.length) problems.push('A redirect URI is listed twice.');
  return problems;
};

const checkScopes = (scopes: readonly string[]): string[] => {
  const unknown = scopes.filter((scope) => !isScope(scope));
  const problems = unknown.map(
    (scope) => `"${scope}" is not a scope we support (supported: ${supportedScopes.join(', ')}).`,
  );
  if (!scopes.includes('openid')) problems.push('The scopes must include openid.');
  return problems;
};

const checkVectors = (vectors: readonly string[]): string[] => {
  if (vectors.length === 0)
    return ['Give at least one vector of trust the client may request (for example P9.Cp.Cd).'];
  return vectors
    .filter((vector) => !isVectorOfTrust(vector))
    .map((vector) => `"${vector}" is not a vector of trust (valid: ${allVectors.join(', ')}).`);
};
