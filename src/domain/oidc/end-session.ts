import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import type { ClientStore } from '../clients/relying-party-client.ts';
import type { JsonWebKeySet } from '../tokens/token-signer.ts';

export interface EndSessionRequest {
  readonly idTokenHint?: string | undefined;
  readonly postLogoutRedirectUri?: string | undefined;
  readonly state?: string | undefined;
  readonly clientId?: string | undefined;
}

export interface EndSessionContext {
  readonly issuer: string;
  readonly jwks: () => Promise<JsonWebKeySet>;
  readonly clients: Pick<ClientStore, 'find'>;
}

/** The client an ID token we issued was for; expired tokens count (logging out comes late). */
const clientOfIdToken = async (token: string, context: EndSessionContext): Promise<string | undefined> => {
  try {
    await compactVerify(token, createLocalJWKSet(await context.jwks()), { algorithms: ['RS512'] });
    const claims = decodeJwt(token);
    if (claims.iss !== context.issuer) return undefined;
    return Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  } catch {
    return undefined;
  }
};

/**
 * Where to send the patient after RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0):
 * back to the relying party only at a post_logout_redirect_uri it registered, with its state, when
 * an ID token we issued (or its client_id) names it; otherwise nowhere (our own logged-out page).
 */
export const endSessionRedirect = async (
  request: EndSessionRequest,
  context: EndSessionContext,
): Promise<string | undefined> => {
  if (!request.postLogoutRedirectUri) return undefined;
  const hinted = request.idTokenHint ? await clientOfIdToken(request.idTokenHint, context) : undefined;
  if (request.idTokenHint && !hinted) return undefined;
  if (hinted && request.clientId && hinted !== request.clientId) return undefined;
  const clientId = hinted ?? request.clientId;
  const client = clientId ? await context.clients.find(clientId) : undefined;
  if (!client?.postLogoutRedirectUris?.includes(request.postLogoutRedirectUri)) return undefined;
  const target = new URL(request.postLogoutRedirectUri);
  if (request.state) target.searchParams.set('state', request.state);
  return target.href;
};
