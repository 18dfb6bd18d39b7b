import type { AuthorizationRequest } from '../domain/oidc/authorization-request.ts';
import { PatientProblemError } from '../domain/patient-problems.ts';
import type { BrowserSession } from '../domain/sessions/browser-session.ts';
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
