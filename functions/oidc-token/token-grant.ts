import { type Account, type AccountStore, loginStands } from '../../src/domain/accounts/account.ts';
import type { AuditEventType, AuditLog } from '../../src/domain/audit/audit-log.ts';
import type { RelyingPartyClient } from '../../src/domain/clients/relying-party-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { AuthorizationCodes } from '../../src/domain/oidc/grants/authorization-codes.ts';
import type { Grant } from '../../src/domain/oidc/grants/grant.ts';
import type { RefreshTokens } from '../../src/domain/oidc/grants/refresh-tokens.ts';
import type { LoginIdentities } from '../../src/domain/oidc/login-identities.ts';
import { InvalidGrantError } from '../../src/domain/oidc/oidc-errors.ts';
import type { Scope } from '../../src/domain/oidc/scopes.ts';
import type { IssuedToken, TokenIssuer, TokenSubject } from '../../src/domain/oidc/token-issuer.ts';

/** A token request's parameters: each sent once, as a string (repeats are refused before this). */
export type TokenRequestForm = Readonly<Record<string, string | undefined>>;

/** What the grants work with. */
export interface GrantDependencies {
  readonly accounts: Pick<AccountStore, 'findById'>;
  readonly authorizationCodes: Pick<AuthorizationCodes, 'redeem'>;
  readonly refreshTokens: Pick<RefreshTokens, 'start' | 'rotate' | 'revokeFamily'>;
  readonly tokens: Pick<TokenIssuer, 'issueIdToken' | 'issueAccessToken'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly loginIdentities: Pick<LoginIdentities, 'recordIssued'>;
  readonly clock: Clock;
}

/** Records what happened to a grant against the patient's account, for support look-ups. */
export const auditGrant = (
  deps: GrantDependencies,
  type: AuditEventType,
  grant: Pick<Grant, 'accountId' | 'clientId'>,
): Promise<void> =>
  deps.audit.record({
    accountId: grant.accountId,
    type,
    at: deps.clock().toISOString(),
    detail: grant.clientId,
  });

/** The successful token response (RFC 6749 5.1; NHS login EIS Table 8). */
export interface TokenResponseBody {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly id_token?: string;
  readonly refresh_token?: string;
  readonly scope: string;
}

/**
 * One grant type, as a module: its `grant_type`, the parameters it requires (checked before it
 * runs) and what it does for an authenticated client.
 */
export interface TokenGrant {
  readonly grantType: string;
  readonly parameters: readonly string[];
  handle(
    form: TokenRequestForm,
    client: RelyingPartyClient,
    deps: GrantDependencies,
  ): Promise<TokenResponseBody>;
}

/** Only the grant itself: a code's redirect_uri and nonce are not kept with the refresh token family. */
export const grantOf = ({
  grantId,
  clientId,
  accountId,
  scopes,
  vot,
  authTime,
  sessionGeneration,
}: Grant): Grant => ({ grantId, clientId, accountId, scopes, vot, authTime, sessionGeneration });

export const tokenSubject = (account: Account, grant: Grant): TokenSubject => ({
  account,
  clientId: grant.clientId,
  scopes: grant.scopes,
  vot: grant.vot,
  authTime: grant.authTime,
});

export const tokenResponse = (
  accessToken: IssuedToken,
  scopes: readonly Scope[],
  more: { readonly idToken?: string; readonly refreshToken?: string | undefined },
): TokenResponseBody => ({
  access_token: accessToken.token,
  token_type: 'Bearer',
  expires_in: accessToken.expiresIn,
  ...(more.idToken !== undefined ? { id_token: more.idToken } : {}),
  ...(more.refreshToken !== undefined ? { refresh_token: more.refreshToken } : {}),
  scope: scopes.join(' '),
});

/**
 * The patient a grant is for. When the account has been deleted since, or its sessions revoked
 * (a password reset or change, "log out everywhere"), the grant's refresh tokens are revoked and
 * the request fails with InvalidGrantError: what the patient ended, no service keeps.
 */
export const grantAccount = async (grant: Grant, deps: GrantDependencies): Promise<Account> => {
  const account = await deps.accounts.findById(grant.accountId);
  const ended = !account
    ? 'grant account deleted'
    : !loginStands(account, grant.sessionGeneration)
      ? 'grant from before the account sessions were revoked'
      : undefined;
  if (ended === undefined && account) return account;
  await deps.refreshTokens.revokeFamily(grant.grantId);
  throw new InvalidGrantError('The grant is no longer valid.', { logDetail: ended });
};
