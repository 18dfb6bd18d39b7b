import type { Account } from '../domain/accounts/account.ts';
import type { AuthorizationDecision } from '../domain/oidc/authorization-decision.ts';
import type { AuthorizationRequest } from '../domain/oidc/authorization-request.ts';
import { disabledProblem, PatientProblemError } from '../domain/patient-problems.ts';
import type { BrowserSession, SessionAuthentication } from '../domain/sessions/browser-session.ts';
import { urlFor } from '../routes.ts';
import type { PageOutcome } from './page-routes.ts';

/** The relying party's request this browser is serving; a page of one without it says so. */
export const pendingAuthorizationOf = (session: BrowserSession): AuthorizationRequest => {
  const pending = session.pendingAuthorization;
  if (!pending) throw new PatientProblemError('unknown-service', { logDetail: 'no pending authorization' });
  return pending;
};

/** Back to the relying party: the request is answered and leaves the session. */
export const answered = (
  session: BrowserSession,
  location: string,
  change: 'update' | 'renew' = 'update',
): PageOutcome => {
  const { pendingAuthorization: _answered, interactionId: _ended, handedOver: _used, ...rest } = session;
  return { redirect: location, session: { kind: change, session: rest } };
};

/** A login that can answer an authorization request, with its account as read for this request. */
export interface AnsweringLogin {
  readonly authentication: SessionAuthentication;
  readonly account: Account;
}

/**
 * Where the session's pending request goes next, given the login that answers it (if any): to
 * log in, to consent, to prove who you are, or back to the relying party with a code or an error.
 * The session (as this request leaves it, `change` saying how it is kept) keeps the request until
 * it is answered. `consented`: the scopes on record for the login's account and the client, when
 * already read (else read here). Used by /authorize and by the end of a login, which so answers
 * the relying party at once instead of one redirect later.
 */
export const continueAuthorization = async (
  authorization: Pick<AuthorizationDecision, 'next' | 'consentedScopes'>,
  session: BrowserSession,
  login: AnsweringLogin | undefined,
  options: { readonly change?: 'update' | 'renew'; readonly consented?: readonly string[] | undefined } = {},
): Promise<PageOutcome> => {
  const change = options.change ?? 'update';
  const pending = pendingAuthorizationOf(session);
  const step = await authorization.next(pending, login, options.consented);
  if (step.kind === 'log-in') return { redirect: urlFor('login'), session: { kind: change, session } };
  if (step.kind === 'consent') return { redirect: urlFor('consent'), session: { kind: change, session } };
  if (step.kind === 'prove-identity')
    return { redirect: urlFor('prove-identity'), session: { kind: change, session } };
  if (step.kind === 'existing-account')
    return { redirect: urlFor('existing-account'), session: { kind: change, session } };
  if (step.kind === 'check-nhs-number')
    return { redirect: urlFor('nhs-number-check'), session: { kind: change, session } };
  if (step.kind === 'account-disabled') throw new PatientProblemError(disabledProblem(step.reason));
  return answered(session, step.location, change);
};
