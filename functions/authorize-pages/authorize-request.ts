import { randomBytes } from 'node:crypto';
import {
  type AuthorizationRequest,
  errorRedirect,
  validateAuthorizationRequest,
} from '../../src/domain/oidc/authorization-request.ts';
import { LoginAssertionRefusedError } from '../../src/domain/oidc/login-identities.ts';
import { PatientProblemError } from '../../src/domain/patient-problems.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { logMessages } from '../../src/platform/log-messages.ts';
import type { FormValues, PageOutcome, PageRequest } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import type { AuthorizeKit, AuthorizePagesDependencies, AuthorizeRoutes } from './authorize-kit.ts';

/**
 * /authorize (by GET, or a relying party's form post) with a partner's hand-off of its patient's
 * login, and the request going on after a page between it and the answer.
 */
export const authorizeRequestPages = (
  deps: AuthorizePagesDependencies,
  { proceed }: AuthorizeKit,
  page: Page,
) => {
  /**
   * An authorize request with `asserted_login_identity` (and no prompt=login): a partner service
   * hands over its patient's login. Accepted, it answers this request only (see `handedOver`), so
   * a hand-off link cannot log a browser in as someone else; refused, the patient logs in afresh
   * (nobody is taken for the patient the partner meant), and prompt=none gets NHS login's
   * sso_login_required with the reason.
   */
  const handOff = async (
    request: PageRequest,
    pending: AuthorizationRequest & { readonly assertedLoginIdentity: string },
  ): Promise<PageOutcome> => {
    const { assertedLoginIdentity, ...kept } = pending;
    const base = withoutHandOff(request.session);
    try {
      const login = await deps.loginIdentities.handOver(
        assertedLoginIdentity,
        pending.clientId,
        request.sourceIp,
      );
      const session: BrowserSession = {
        ...base,
        handedOver: login.authentication,
        ...pendingOn(kept),
      };
      return await proceed({ ...request, session }, session, 'renew');
    } catch (error) {
      if (!(error instanceof LoginAssertionRefusedError)) throw error;
      deps.logger.warn({
        ...logMessages.loginAssertionRefused,
        clientId: pending.clientId,
        problem: error.problem,
        detail: error.logDetail,
      });
      if (pending.prompt === 'none')
        return {
          redirect: errorRedirect(pending.redirectUri, {
            error: 'sso_login_required',
            description: error.message,
            state: pending.state,
            issuer: deps.issuer,
          }),
        };
      return proceed(request, { ...omitAuthentication(base), ...pendingOn(kept) });
    }
  };

  const authorize = async (request: PageRequest, params: FormValues): Promise<PageOutcome> => {
    const outcome = await validateAuthorizationRequest(params, (clientId) => deps.clients.find(clientId));
    if (outcome.kind === 'page')
      throw new PatientProblemError(outcome.problem, { logDetail: outcome.logDetail });
    if (outcome.kind === 'redirect') {
      const { redirectUri, error, description, state } = outcome;
      return {
        redirect: errorRedirect(redirectUri, {
          error,
          ...(description ? { description } : {}),
          ...(state ? { state } : {}),
          issuer: deps.issuer,
        }),
      };
    }
    const { assertedLoginIdentity, ...pending } = outcome.request;
    deps.metrics.add('LoginsStarted', { vector: pending.vtr[0] ?? 'none' });
    if (assertedLoginIdentity !== undefined && pending.prompt !== 'login')
      return handOff(request, { ...pending, assertedLoginIdentity });
    // prompt=login: whoever is logged in must log in again (SSO is skipped, an asserted login
    // too, and the assertion is not kept).
    const fresh = pending.prompt === 'login';
    const base = withoutHandOff(request.session);
    const session: BrowserSession = fresh
      ? { ...omitAuthentication(base), ...pendingOn(pending) }
      : { ...base, ...pendingOn(pending) };
    return proceed(request, session);
  };

  return {
    authorize: page({ handle: (request) => authorize(request, request.query) }),
    // A form post from a relying party carries no CSRF token of ours: see page-routes' exemption.
    'authorize-submit': page({
      acceptsForeignPosts: true,
      handle: (request) => authorize(request, request.form),
    }),
    'authorize-continue': page({ handle: (request) => proceed(request, request.session) }),
  } satisfies AuthorizeRoutes;
};

/** A request to serve, with a new interaction id its pages carry (a new request replaces any earlier one). */
const pendingOn = (pending: AuthorizationRequest) => ({
  pendingAuthorization: pending,
  interactionId: randomBytes(16).toString('base64url'),
});

/** A new request starts without the login handed over for an earlier one. */
const withoutHandOff = (session: BrowserSession): BrowserSession => {
  const { handedOver: _earlier, ...rest } = session;
  return rest;
};

const omitAuthentication = (session: BrowserSession): BrowserSession => {
  const { authentication: _dropped, ...rest } = session;
  return rest;
};
