import { agreedScopes } from '../../src/domain/oidc/authorization-decision.ts';
import type { AuthorizationRequest } from '../../src/domain/oidc/authorization-request.ts';
import { achievedCredentials } from '../../src/domain/oidc/second-factor-credentials.ts';
import { urlFor } from '../../src/routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { answered, pendingAuthorizationOf } from '../../src/web/pending-authorization.ts';
import type { AuthorizeKit, AuthorizePagesDependencies, AuthorizeRoutes } from './authorize-kit.ts';
import { consentSharing } from './consent-wording.ts';

/**
 * Consent: "Share your information" with the service, what each scope shares, and the patient's
 * answer, which is recorded and answers the pending request.
 */
export const consentPages = (
  deps: AuthorizePagesDependencies,
  { loginFor, consentOnRecord, proceed }: AuthorizeKit,
  page: Page,
) => {
  const serviceLabel = async (pending: AuthorizationRequest) =>
    (await deps.clients.find(pending.clientId))?.name ?? 'The service';

  return {
    consent: page({
      handle: async (request) => {
        const pending = pendingAuthorizationOf(request.session);
        // Whose information it is: on a shared computer, or after a hand-off, it may not be obvious.
        const [login, label] = await Promise.all([loginFor(request, request.session), serviceLabel(pending)]);
        if (!login) return { redirect: urlFor('login') };
        return {
          view: 'pages/consent.njk',
          data: {
            title: 'Share your information',
            serviceLabel: label,
            ...consentSharing(login.account, pending.scopes, {
              credentials: achievedCredentials(login.authentication),
            }),
            accountEmail: login.account.email,
          },
        };
      },
    }),
    'consent-submit': page({
      bindsToAuthorization: true,
      handle: async (request) => {
        const pending = pendingAuthorizationOf(request.session);
        const [login, earlier] = await Promise.all([
          loginFor(request, request.session),
          consentOnRecord(request.session, pending),
        ]);
        if (!login) return { redirect: urlFor('login') };
        if (request.form.decision !== 'agree')
          return answered(request.session, deps.authorization.declined(pending));
        // The agreement is written while the request is answered with it: nothing is read again.
        const [, outcome] = await Promise.all([
          deps.authorization.agree(login.account.accountId, pending, earlier ?? []),
          proceed(request, request.session, 'update', {
            login,
            consented: agreedScopes(earlier ?? [], pending),
          }),
        ]);
        return outcome;
      },
    }),
  } satisfies AuthorizeRoutes;
};
