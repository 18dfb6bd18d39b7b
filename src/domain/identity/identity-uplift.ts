import type { Account, AccountStore } from '../accounts/account.ts';
import { NhsNumberTakenError } from '../accounts/account-errors.ts';
import type { Clock } from '../clock.ts';
import { higherProofingLevel, type ProofingLevel } from '../oidc/vectors-of-trust.ts';
import type { VerifiedIdentity } from './verified-identity.ts';

export type UpliftOutcome =
  /** The account as it now is, at the level or higher, with the identity. */
  | { readonly kind: 'proven'; readonly account: Account }
  /** Another account has the NHS number: the identity is held on this one for the patient to choose (CID1006). */
  | { readonly kind: 'duplicate'; readonly account: Account };

/**
 * Gives the account a proven identity at `level`, or, when another account has its NHS number
 * (one account per NHS number), holds it on the account for the duplicate-account journey.
 */
export const upliftAccount = async (
  deps: { readonly accounts: Pick<AccountStore, 'setIdentity' | 'holdIdentity'>; readonly clock: Clock },
  account: Account,
  level: ProofingLevel,
  identity: VerifiedIdentity,
): Promise<UpliftOutcome> => {
  try {
    await deps.accounts.setIdentity(account.accountId, level, identity);
  } catch (error) {
    if (!(error instanceof NhsNumberTakenError)) throw error;
    const heldIdentity = {
      level,
      identity,
      otherAccountId: error.otherAccountId,
      at: deps.clock().toISOString(),
    };
    await deps.accounts.holdIdentity(account.accountId, heldIdentity);
    return { kind: 'duplicate', account: { ...account, heldIdentity } };
  }
  return {
    kind: 'proven',
    account: { ...account, proofingLevel: higherProofingLevel(level, account.proofingLevel), identity },
  };
};
