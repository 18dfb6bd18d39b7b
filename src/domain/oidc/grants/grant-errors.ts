import { InvalidGrantError } from '../oidc-errors.ts';
import type { Grant } from './grant.ts';

/** Which grant a reuse was of: enough to revoke it and to record it against the patient's account. */
export type ReusedGrant = Pick<Grant, 'grantId' | 'clientId' | 'accountId'>;

/**
 * An authorization code was presented a second time. The request fails like any invalid_grant,
 * and the caller revokes everything issued from the grant (RFC 6749 4.1.2).
 */
export class CodeReusedError extends InvalidGrantError {
  readonly grant: ReusedGrant;

  constructor(grant: ReusedGrant) {
    super('The authorization code has been used already.', { logDetail: 'code reused' });
    this.grant = { grantId: grant.grantId, clientId: grant.clientId, accountId: grant.accountId };
  }
}

/**
 * A refresh token that was replaced by rotation was presented again: it may have been stolen, so
 * the whole family has been revoked (RFC 9700 4.14.2). Named so the caller can audit it.
 */
export class RefreshTokenReusedError extends InvalidGrantError {
  readonly grant: ReusedGrant;

  constructor(grant: ReusedGrant) {
    super('The refresh token has been used already.', { logDetail: 'refresh token reused; family revoked' });
    this.grant = { grantId: grant.grantId, clientId: grant.clientId, accountId: grant.accountId };
  }
}
