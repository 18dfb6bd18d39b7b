import type { Scope } from '../scopes.ts';
import type { VectorOfTrust } from '../vectors-of-trust.ts';

/**
 * What a patient granted a client at one authorization: everything issued from it (the code, the
 * tokens, the refresh token family) shares its `grantId`, so all of it can be revoked together.
 */
export interface Grant {
  readonly grantId: string;
  readonly clientId: string;
  readonly accountId: string;
  readonly scopes: readonly Scope[];
  /** The vector of trust the authentication achieved. */
  readonly vot: VectorOfTrust;
  /** When the patient authenticated, in epoch seconds. */
  readonly authTime: number;
  /**
   * The account's session generation at that login: a password reset or change, or "log out
   * everywhere", raises the account's, and every grant from before it stops working.
   */
  readonly sessionGeneration: number;
}
