import type { AccountStore } from '../../src/domain/accounts/account.ts';
import type { AccountRecovery } from '../../src/domain/accounts/account-recovery.ts';
import type { AccountSettings } from '../../src/domain/accounts/account-settings.ts';
import type { AccountUnlock } from '../../src/domain/accounts/account-unlock.ts';
import type { LoginSecondFactor } from '../../src/domain/accounts/login-second-factor.ts';
import type { NewPhoneNumbers } from '../../src/domain/accounts/new-phone-numbers.ts';
import type { PasswordLogin } from '../../src/domain/accounts/password-login.ts';
import type { PasswordReset } from '../../src/domain/accounts/password-reset.ts';
import type { Reauthentication } from '../../src/domain/accounts/reauthentication.ts';
import type { Registration } from '../../src/domain/accounts/registration.ts';
import type { AuditLog } from '../../src/domain/audit/audit-log.ts';
import type { ClientStore } from '../../src/domain/clients/relying-party-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { RememberedDevices } from '../../src/domain/devices/remembered-devices.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import type { AuthorizationDecision } from '../../src/domain/oidc/authorization-decision.ts';
import {
  type EndSessionRequest,
  endSessionRedirect,
  verifyIdTokenHint,
} from '../../src/domain/oidc/end-session.ts';
import type { LoginIdentities } from '../../src/domain/oidc/login-identities.ts';
import type { JsonWebKeySet } from '../../src/domain/tokens/token-signer.ts';
import { createHttpHandler } from '../../src/platform/http/http-handler.ts';
import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import type { Logger } from '../../src/platform/logger.ts';
import {
  createPageRoutes,
  type FormValues,
  type PageDependencies,
  type PageOutcome,
  type PageRequest,
} from '../../src/web/page-routes.ts';
import { authorizePages } from './authorize-pages.ts';
import { loginPages } from './login-pages.ts';
import { recoveryPages } from './recovery-pages.ts';
import { registrationPages } from './registration-pages.ts';
import { currentAccount, sessionAccount } from './session-account.ts';
import { settingsPages } from './settings-pages.ts';

export interface PatientPagesDependencies extends PageDependencies {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly accounts: AccountStore;
  readonly registration: Registration;
  readonly passwordLogin: PasswordLogin;
  readonly loginSecondFactor: LoginSecondFactor;
  readonly newPhones: NewPhoneNumbers;
  readonly devices: RememberedDevices;
  readonly recovery: AccountRecovery;
  readonly passwordReset: PasswordReset;
  readonly accountUnlock: AccountUnlock;
  readonly settings: AccountSettings;
  readonly reauthentication: Reauthentication;
  readonly clients: ClientStore;
  readonly authorization: AuthorizationDecision;
  readonly loginIdentities: LoginIdentities;
  readonly issuer: string;
  /** Our published keys, to recognise the ID tokens we issued (the end-session hint). */
  readonly jwks: () => Promise<JsonWebKeySet>;
  readonly audit: AuditLog;
}

const toLogin: PageOutcome = { redirect: '/login' };

/**
 * The hosted pages patients use, journey by journey: creating an account, logging in, getting
 * back in by email, settings, and the pages of an authorization request.
 */
export const createHandler = (deps: PatientPagesDependencies): HttpHandler => {
  const { page, presentError } = createPageRoutes(deps);

  const loggedOut = async (accountId: string | undefined, sourceIp: string) => {
    if (!accountId) return;
    await deps.audit.record({ accountId, type: 'logged-out', at: deps.clock().toISOString(), sourceIp });
  };

  /**
   * RP-initiated logout. With an ID token we issued for the login in this browser, the session
   * ends at once and the patient goes back to the service if it may be; without one (a link
   * anyone could send, or a hint for someone else), we ask first, as the specification says.
   */
  const endSessionRequest = async (request: PageRequest, params: FormValues): Promise<PageOutcome> => {
    const target = {
      postLogoutRedirectUri: params.post_logout_redirect_uri,
      state: params.state,
      clientId: params.client_id,
    };
    const { session } = request;
    const hint = await verifyIdTokenHint(params.id_token_hint, { issuer: deps.issuer, jwks: deps.jwks });
    const account = session.authentication && (await currentAccount(deps.accounts, session.authentication));
    if (!account || hint?.subject === account.subject)
      return endSession(request, { ...target, idTokenHint: params.id_token_hint });
    return {
      view: 'pages/end-session.njk',
      data: {
        title: 'Do you want to log out?',
        fields: {
          post_logout_redirect_uri: target.postLogoutRedirectUri,
          state: target.state,
          client_id: target.clientId,
        },
      },
    };
  };

  /** Ends the session, then back to the relying party when it may be, else our logged-out page. */
  const endSession = async (request: PageRequest, target: EndSessionRequest): Promise<PageOutcome> => {
    await loggedOut(request.session.authentication?.accountId, request.sourceIp);
    const redirect = await endSessionRedirect(target, {
      issuer: deps.issuer,
      jwks: deps.jwks,
      clients: deps.clients,
    });
    if (redirect) return { redirect, session: { kind: 'end' } };
    return { view: 'pages/logged-out.njk', data: { title: 'You have logged out' }, session: { kind: 'end' } };
  };

  return createHttpHandler({
    functionName: 'patient-pages',
    logger: deps.logger,
    presentError,
    routes: {
      ...settingsPages(deps, page),
      ...authorizePages(deps, page),
      ...loginPages(deps, page),
      ...recoveryPages(deps, page),
      ...registrationPages(deps, page),
      start: page({
        handle: async () => ({ view: 'pages/start.njk', data: { title: 'Log in or create an account' } }),
      }),
      'terms-of-use': page({
        handle: async () => ({ view: 'pages/terms-of-use.njk', data: { title: 'Terms of use' } }),
      }),
      contact: page({
        handle: async () => ({ view: 'pages/contact.njk', data: { title: 'Get help with your account' } }),
      }),
      login: page({
        handle: async ({ session }) => ({
          view: 'pages/login.njk',
          data: {
            title: 'Log in',
            values: {},
            allowRegistration: session.pendingAuthorization?.allowRegistration ?? true,
          },
        }),
      }),
      'logged-in': page({
        handle: async (request) => {
          const account = await sessionAccount(deps.accounts, request, 'full');
          if (!account) return toLogin;
          // A relying party is waiting: its request goes on now the patient is logged in.
          if (request.session.pendingAuthorization) return { redirect: '/authorize/continue' };
          return { view: 'pages/logged-in.njk', data: { title: 'You are logged in', email: account.email } };
        },
      }),
      'end-session': page({ handle: (request) => endSessionRequest(request, request.query) }),
      // The endpoint takes posts too (the specification says so); only our own confirmation form skips the question.
      'end-session-submit': page({
        acceptsForeignPosts: true,
        handle: (request) =>
          request.fromOurForm && request.form.confirm === 'yes'
            ? endSession(request, {
                postLogoutRedirectUri: request.form.post_logout_redirect_uri,
                state: request.form.state,
                clientId: request.form.client_id,
              })
            : endSessionRequest(request, request.form),
      }),
      logout: page({
        handle: async ({ session, sourceIp }) => {
          await loggedOut(session.authentication?.accountId, sourceIp);
          return {
            view: 'pages/logged-out.njk',
            data: { title: 'You have logged out' },
            session: { kind: 'end' },
          };
        },
      }),
    },
  });
};
