import { randomBytes } from 'node:crypto';
import type { AccountStore } from '../../src/domain/accounts/account.ts';
import type { AuditLog } from '../../src/domain/audit/audit-log.ts';
import type { ClientStore } from '../../src/domain/clients/relying-party-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { type AuthorizationDecision, agreedScopes } from '../../src/domain/oidc/authorization-decision.ts';
import {
  type AuthorizationRequest,
  errorRedirect,
  validateAuthorizationRequest,
} from '../../src/domain/oidc/authorization-request.ts';
import { LoginAssertionRefusedError, type LoginIdentities } from '../../src/domain/oidc/login-identities.ts';
import { PatientProblemError } from '../../src/domain/patient-problems.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { logMessages } from '../../src/platform/log-messages.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { urlFor } from '../../src/routes.ts';
import type { FormValues, PageOutcome, PageRequest } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import {
  type AnsweringLogin,
  answered,
  continueAuthorization,
  pendingAuthorizationOf,
} from '../../src/web/pending-authorization.ts';
import { currentAccount, sessionAccount } from '../../src/web/session-account.ts';

export interface AuthorizePagesDependencies {
  readonly accounts: AccountStore;
  readonly clients: ClientStore;
  readonly authorization: AuthorizationDecision;
  readonly loginIdentities: Pick<LoginIdentities, 'handOver'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Our issuer, the `iss` of every authorization response. */
  readonly issuer: string;
}

type Login = AnsweringLogin;

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

/** /authorize and the pages between it and the answer: consent ("prove who you are" is identity-pages'). */
export const authorizePages = (deps: AuthorizePagesDependencies, page: Page) => {
  /**
   * The login that answers the pending request: a handed-over one (while its account and session
   * generation stand), else the browser's own full login.
   */
  const loginFor = async (request: PageRequest, session: BrowserSession): Promise<Login | undefined> => {
    const { handedOver } = session;
    if (handedOver) {
      const account = await currentAccount(deps.accounts, handedOver);
      return account && { authentication: handedOver, account };
    }
    const account = await sessionAccount(deps.accounts, { ...request, session }, 'full');
    return account && session.authentication
      ? { authentication: session.authentication, account }
      : undefined;
  };

  /**
   * The scopes the session's login has agreed to share with the request's client, read only when
   * there is a full login to answer with (else undefined: nothing is read).
   */
  const consentOnRecord = async (session: BrowserSession, pending: AuthorizationRequest) => {
    const authentication = session.handedOver ?? session.authentication;
    if (!authentication?.secondFactor) return undefined;
    return deps.authorization.consentedScopes(authentication.accountId, pending.clientId);
  };

  /**
   * Where the request goes next; the session keeps the request until it is answered. A session
   * that has just been handed a login is renewed (a new id), as after any login.
   */
  const proceed = async (
    request: PageRequest,
    session: BrowserSession,
    change: 'update' | 'renew' = 'update',
    known: { login?: Login; consented?: readonly string[] } = {},
  ): Promise<PageOutcome> => {
    const pending = pendingAuthorizationOf(session);
    // The consent on record is read while the login's account is: answering needs both.
    const [login, consented] = await Promise.all([
      known.login ?? loginFor(request, session),
      known.consented ?? consentOnRecord(session, pending),
    ]);
    return continueAuthorization(deps.authorization, session, login, { change, consented });
  };

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

  const serviceLabel = async (pending: AuthorizationRequest) =>
    (await deps.clients.find(pending.clientId))?.name ?? 'The service';

  return {
    authorize: page({ handle: (request) => authorize(request, request.query) }),
    // A form post from a relying party carries no CSRF token of ours: see page-routes' exemption.
    'authorize-submit': page({
      acceptsForeignPosts: true,
      handle: (request) => authorize(request, request.form),
    }),
    'authorize-continue': page({ handle: (request) => proceed(request, request.session) }),
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
  };
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
