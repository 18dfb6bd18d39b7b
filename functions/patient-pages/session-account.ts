import type { Account, AccountStore } from '../../src/domain/accounts/account.ts';
import { PatientProblemError } from '../../src/domain/patient-problems.ts';
import type { PageRequest } from '../../src/web/page-routes.ts';

/**
 * The account a session has logged in to, up to the step asked for: `password` (the code is still
 * to come) or `full`. A session from before the account's sessions were revoked (a password reset
 * or change) counts for nothing: its generation is behind the account's. A browser whose session has ended is told so.
 */
export const sessionAccount = async (
  accounts: AccountStore,
  request: PageRequest,
  step: 'password' | 'full',
): Promise<Account | undefined> => {
  const authentication = request.session.authentication;
  if (!authentication) {
    if (request.sessionEnded) throw new PatientProblemError('session-expired');
    return undefined;
  }
  if ((step === 'full') !== (authentication.secondFactor !== undefined)) return undefined;
  // A login handed over by a partner service answers one authorization request, never our pages.
  if (authentication.secondFactor === 'asserted-login') return undefined;
  const account = await accounts.findById(authentication.accountId);
  if (!account || authentication.generation !== (account.sessionGeneration ?? 0)) return undefined;
  return account;
};
