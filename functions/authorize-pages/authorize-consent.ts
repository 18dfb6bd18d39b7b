import { agreedScopes } from '../../src/domain/oidc/authorization-decision.ts';
import type { AuthorizationRequest } from '../../src/domain/oidc/authorization-request.ts';
import { urlFor } from '../../src/routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { answered, pendingAuthorizationOf } from '../../src/web/pending-authorization.ts';
import type { AuthorizeKit, AuthorizePagesDependencies, AuthorizeRoutes } from './authorize-kit.ts';

/** What the consent page says each scope shares, in the patient's words. */
const scopeDescriptions: Record<string, string> = {
  email: 'your email address',
  phone: 'your mobile phone number',
  landline: 'your landline phone number',
  profile: 'your NHS number, surname and date of birth, and how well you have proved who you are',
  basic_demographics: 'your surname and date of birth, and how well you have proved who you are',
  profile_extended: 'your first name',
  gp_registration_details: 'the GP surgery you are registered with',
  gp_integration_credentials: 'the details that connect you to your GP surgery’s online services',
  client_metadata: 'a reference the service keeps with your account',
  nhs_app_credentials: 'the details the NHS App uses to connect to your GP surgery',
};

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
        const items = pending.scopes
          .filter((scope) => scope !== 'openid')
          .map((scope) => scopeDescriptions[scope] ?? scope);
        // Whose information it is: on a shared computer, or after a hand-off, it may not be obvious.
        const login = await loginFor(request, request.session);
        return {
          view: 'pages/consent.njk',
          data: {
            title: 'Share your information',
            serviceLabel: await serviceLabel(pending),
            items,
            accountEmail: login?.account.email,
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
