import type { RelyingPartyClient } from '../../src/domain/clients/relying-party-client.ts';
import type { AuthorizationCodeGrant } from '../../src/domain/oidc/grants/authorization-codes.ts';
import { CodeReusedError } from '../../src/domain/oidc/grants/grant-errors.ts';
import {
  auditGrant,
  type GrantDependencies,
  grantAccount,
  grantOf,
  type TokenGrant,
  type TokenRequestForm,
  tokenResponse,
  tokenSubject,
} from './token-grant.ts';

/**
 * Redeems the code for this client, its redirect_uri and PKCE verifier. A code used a second
 * time revokes the refresh tokens the first use produced, since one of the two was not the
 * client's (RFC 6749 4.1.2, RFC 9700 4.5).
 */
const redeem = async (
  form: TokenRequestForm,
  client: RelyingPartyClient,
  deps: GrantDependencies,
): Promise<AuthorizationCodeGrant> => {
  try {
    return await deps.authorizationCodes.redeem(form.code, {
      clientId: client.clientId,
      redirectUri: form.redirect_uri,
      codeVerifier: form.code_verifier,
    });
  } catch (error) {
    if (error instanceof CodeReusedError) {
      await deps.refreshTokens.revokeFamily(error.grant.grantId);
      await auditGrant(deps, 'code-reused', error.grant);
    }
    throw error;
  }
};

/** `authorization_code`: an ID token, an access token and, for clients registered for them, a refresh token. */
export const authorizationCodeGrant: TokenGrant = {
  grantType: 'authorization_code',
  parameters: ['code', 'redirect_uri'],
  handle: async (form, client, deps) => {
    const grant = await redeem(form, client, deps);
    // Started before anything is signed: a reuse of the code that revoked the family meanwhile fails it
    // here. Alongside the account's check: if that fails, the family it started is revoked or never
    // leaves this request.
    const [account, refreshToken] = await Promise.all([
      grantAccount(grant, deps),
      client.refreshTokens ? deps.refreshTokens.start(grantOf(grant)) : undefined,
    ]);
    const subject = tokenSubject(account, grant);
    const [idToken, accessToken] = await Promise.all([
      deps.tokens.issueIdToken({ ...subject, nonce: grant.nonce }),
      deps.tokens.issueAccessToken(subject),
    ]);
    await Promise.all([
      // Remembered for single sign-on: this client may name the ID token in an asserted_login_identity.
      deps.loginIdentities.recordIssued({
        clientId: grant.clientId,
        idTokenJti: idToken.jti,
        accountId: grant.accountId,
        vot: grant.vot,
        authTime: grant.authTime,
        sessionGeneration: grant.sessionGeneration,
      }),
      auditGrant(deps, 'service-tokens-issued', grant),
    ]);
    return tokenResponse(accessToken, grant.scopes, { idToken: idToken.token, refreshToken });
  },
};
