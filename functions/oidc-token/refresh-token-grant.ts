import { RefreshTokenReusedError } from '../../src/domain/oidc/grants/grant-errors.ts';
import { UnauthorizedClientError } from '../../src/domain/oidc/oidc-errors.ts';
import { auditGrant, grantAccount, type TokenGrant, tokenResponse, tokenSubject } from './token-grant.ts';

/**
 * `refresh_token`: rotates the token (an earlier one of the family revokes it all), optionally
 * narrowing the scopes, and issues a new access token. No ID token: nobody logged in again.
 */
export const refreshTokenGrant: TokenGrant = {
  grantType: 'refresh_token',
  parameters: ['refresh_token'],
  handle: async (form, client, deps) => {
    if (!client.refreshTokens)
      throw new UnauthorizedClientError('This client is not registered for refresh tokens.');
    const { refreshToken, grant } = await deps.refreshTokens
      .rotate(form.refresh_token, { clientId: client.clientId, scope: form.scope })
      .catch(async (error: unknown) => {
        if (error instanceof RefreshTokenReusedError)
          await auditGrant(deps, 'refresh-token-reused', error.grant);
        throw error;
      });
    const account = await grantAccount(grant, deps);
    const accessToken = await deps.tokens.issueAccessToken(tokenSubject(account, grant));
    return tokenResponse(accessToken, grant.scopes, { refreshToken });
  },
};
