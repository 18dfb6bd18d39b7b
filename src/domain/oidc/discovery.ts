import { TOKEN_SIGNING_ALGORITHM } from '../tokens/token-signer.ts';
import { supportedClaims, supportedScopes } from './scopes.ts';

/** Algorithms a client may sign its private_key_jwt assertion with (RS512 first, as NHS login). */
export const clientAssertionAlgorithms = ['RS512', 'RS256', 'PS256', 'ES256'] as const;

/** Discovery members that point at one of our endpoints, by the id of the route that serves it. */
export const endpointMembers = {
  jwks_uri: 'jwks',
  authorization_endpoint: 'authorize',
  token_endpoint: 'token',
  userinfo_endpoint: 'userinfo',
  end_session_endpoint: 'end-session',
} as const;

export interface EndpointRoute {
  readonly id: string;
  readonly path: string;
}

/**
 * The OpenID Provider metadata: what NHS login publishes (reference section 1.3) plus what we add.
 * Endpoint URLs come from the route table, so only endpoints that exist are listed.
 */
export const buildDiscoveryDocument = (issuer: string, routes: readonly EndpointRoute[]) => {
  const endpoints = Object.fromEntries(
    Object.entries(endpointMembers).flatMap(([member, routeId]) => {
      const route = routes.find((candidate) => candidate.id === routeId);
      return route ? [[member, `${issuer}${route.path}`]] : [];
    }),
  );
  return {
    issuer,
    ...endpoints,
    scopes_supported: supportedScopes,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    ...('token_endpoint' in endpoints
      ? { grant_types_supported: ['authorization_code', 'refresh_token'] }
      : {}),
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [TOKEN_SIGNING_ALGORITHM],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: clientAssertionAlgorithms,
    claims_supported: supportedClaims,
    code_challenge_methods_supported: ['S256'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
  };
};

export type DiscoveryDocument = ReturnType<typeof buildDiscoveryDocument>;
