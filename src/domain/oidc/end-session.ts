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

/** An ID token we issued, as RP-initiated logout names it: whom it was for, and whose login. */
export interface IdTokenHint {
  readonly clientId: string;
  readonly subject: string;
}

/** The ID token hint, if it is one we issued (signature and issuer); expired tokens count (logging out comes late). */
export const verifyIdTokenHint = async (
  token: string | undefined,
  context: Pick<EndSessionContext, 'issuer' | 'jwks'>,
): Promise<IdTokenHint | undefined> => {
  if (!token || token.length > 8192) return undefined;
  try {
    await compactVerify(token, createLocalJWKSet(await context.jwks()), { algorithms: ['RS512'] });
    const claims = decodeJwt(token);
    if (claims.iss !== context.issuer || typeof claims.sub !== 'string') return undefined;
    const clientId = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    return typeof clientId === 'string' ? { clientId, subject: claims.sub } : undefined;
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
  const hint = request.idTokenHint ? await verifyIdTokenHint(request.idTokenHint, context) : undefined;
  if (request.idTokenHint && !hint) return undefined;
  if (hint && request.clientId && hint.clientId !== request.clientId) return undefined;
  const clientId = hint?.clientId ?? request.clientId;
  const client = clientId ? await context.clients.find(clientId) : undefined;
  if (!client?.postLogoutRedirectUris?.includes(request.postLogoutRedirectUri)) return undefined;
  const target = new URL(request.postLogoutRedirectUri);
  if (request.state) target.searchParams.set('state', request.state);
  return target.href;
};
