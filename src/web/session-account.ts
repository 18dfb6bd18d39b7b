import { type Account, type AccountStore, loginStands } from '../domain/accounts/account.ts';
import { PatientProblemError } from '../domain/patient-problems.ts';
import type { BrowserSession, SessionAuthentication } from '../domain/sessions/browser-session.ts';
import type { PageRequest } from './page-routes.ts';

/**
 * The account a session has logged in to, up to the step asked for: `password` (the code is still
 * to come) or `full`. A session from before the account's sessions were revoked (a password reset
 * or change) counts for nothing: its generation is behind the account's. A browser whose session has ended is told so.
 */
export const sessionAccount = async (
  accounts: AccountStore,
  request: Pick<PageRequest<unknown>, 'session' | 'sessionEnded'>,
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
  return currentAccount(accounts, authentication);
};

/**
 * The account a login is of, while that login stands: not after the account is deleted, nor once
 * its sessions have been revoked (the account's generation has moved past the login's).
 */
export const currentAccount = async (
  accounts: Pick<AccountStore, 'findById'>,
  authentication: Pick<SessionAuthentication, 'accountId' | 'generation'>,
): Promise<Account | undefined> => {
  const account = await accounts.findById(authentication.accountId);
  return loginStands(account, authentication.generation) ? account : undefined;
};

/**
 * After removing a remembered device or a passkey, which ended the sessions logged in with it:
 * when this browser's own login stood on it, the patient who removed it stays logged in here, in a
 * renewed session it no longer stands for. Otherwise the session is left as it is.
 */
export const keptAfterRemoving = (
  session: BrowserSession,
  stoodOn: 'deviceId' | 'passkeyId',
  removedId: string,
): { readonly kind: 'renew'; readonly session: BrowserSession } | undefined => {
  const { authentication } = session;
  if (!authentication || authentication[stoodOn] !== removedId) return undefined;
  const { [stoodOn]: _removed, ...kept } = authentication;
  return { kind: 'renew', session: { ...session, authentication: kept } };
};
