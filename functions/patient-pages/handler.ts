import type { AccountStore } from '../../src/domain/accounts/account.ts';
import type { AccountSettings } from '../../src/domain/accounts/account-settings.ts';
import type { PasswordLogin } from '../../src/domain/accounts/password-login.ts';
import type { PasswordReset } from '../../src/domain/accounts/password-reset.ts';
import { maskPhoneNumber } from '../../src/domain/accounts/phone-number.ts';
import type { Registration } from '../../src/domain/accounts/registration.ts';
import type { SecondFactor } from '../../src/domain/accounts/second-factor.ts';
import type { AuditLog } from '../../src/domain/audit/audit-log.ts';
import type { ClientStore } from '../../src/domain/clients/relying-party-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { describeUserAgent, type RememberedDevices } from '../../src/domain/devices/remembered-devices.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import type { AuthorizationDecision } from '../../src/domain/oidc/authorization-decision.ts';
import { endSessionRedirect } from '../../src/domain/oidc/end-session.ts';
import type { LoginIdentities } from '../../src/domain/oidc/login-identities.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import type { JsonWebKeySet } from '../../src/domain/tokens/token-signer.ts';
import { createHttpHandler } from '../../src/platform/http/http-handler.ts';
import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { cookieName, readCookie, serializeCookie } from '../../src/web/cookies.ts';
import {
  createPageRoutes,
  type PageDependencies,
  type PageOutcome,
  type PageRequest,
} from '../../src/web/page-routes.ts';
import { authorizePages } from './authorize-pages.ts';
import { sessionAccount } from './session-account.ts';
import { settingsPages } from './settings-pages.ts';

export interface PatientPagesDependencies extends PageDependencies {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly accounts: AccountStore;
  readonly registration: Registration;
  readonly passwordLogin: PasswordLogin;
  readonly secondFactor: SecondFactor;
  readonly devices: RememberedDevices;
  readonly passwordReset: PasswordReset;
  readonly settings: AccountSettings;
  readonly clients: ClientStore;
  readonly authorization: AuthorizationDecision;
  readonly loginIdentities: LoginIdentities;
  readonly issuer: string;
  /** Our published keys, to recognise the ID tokens we issued (the end-session hint). */
  readonly jwks: () => Promise<JsonWebKeySet>;
  readonly audit: AuditLog;
}

const toLogin: PageOutcome = { redirect: '/login' };

/** The hosted pages patients use: the start page, creating an account, logging in, logging out. */
export const createHandler = (deps: PatientPagesDependencies): HttpHandler => {
  const { page, presentError } = createPageRoutes(deps);
  const deviceCookie = cookieName('device', deps.secureCookies);
  const now = () => Math.floor(deps.clock().getTime() / 1000);

  /** The account of a session that has passed the password step but not yet the code. */
  const passwordOnly = (request: PageRequest) => sessionAccount(deps.accounts, request, 'password');

  /** A first login's account, which has no phone yet: only it may add one with the password alone. */
  const withoutPhone = async (request: PageRequest) => {
    const account = await passwordOnly(request);
    return account && !account.phoneNumber ? account : undefined;
  };

  const codePageData = (session: BrowserSession, phoneNumber: string | undefined) => ({
    title: 'Enter the security code',
    channel: session.journey.codeChannel ?? 'sms',
    maskedPhone: phoneNumber ? maskPhoneNumber(phoneNumber) : '',
    codeMinutes: deps.limits.securityCodeLifetimeSeconds / 60,
    canUseEmail: !session.journey.pendingPhoneNumber && session.journey.codeChannel !== 'email',
  });

  /** A completed login: it also replaces any login a partner handed over for the pending request. */
  const withSecondFactor = (
    { handedOver: _replaced, ...session }: BrowserSession,
    secondFactor: 'sms-code' | 'email-code' | 'remembered-device',
  ): BrowserSession => ({
    ...session,
    authentication: session.authentication && {
      ...session.authentication,
      secondFactor,
      secondFactorAt: now(),
    },
    journey: {},
  });

  return createHttpHandler({
    functionName: 'patient-pages',
    logger: deps.logger,
    presentError,
    routes: {
      ...settingsPages(deps, page),
      ...authorizePages(deps, page),
      start: page({
        handle: async () => ({ view: 'pages/start.njk', data: { title: 'Log in or create an account' } }),
      }),

      'terms-of-use': page({
        handle: async () => ({ view: 'pages/terms-of-use.njk', data: { title: 'Terms of use' } }),
      }),
      contact: page({
        handle: async () => ({ view: 'pages/contact.njk', data: { title: 'Get help with your account' } }),
      }),
      register: page({
        handle: async () => ({
          view: 'pages/register.njk',
          data: { title: 'Create an account', values: {} },
        }),
      }),
      'register-submit': page({
        formView: 'pages/register.njk',
        formData: () => ({ title: 'Create an account' }),
        secretFields: ['password'],
        handle: async ({ form, session, sourceIp }) => {
          await deps.registration.start({
            email: form.email ?? '',
            password: form.password ?? '',
            termsAccepted: form.terms === 'accepted',
            sourceIp,
          });
          return {
            redirect: '/register/check-email',
            session: {
              kind: 'update',
              session: { ...session, journey: { registrationEmail: (form.email ?? '').trim() } },
            },
          };
        },
      }),
      'register-check-email': page({
        handle: async ({ session }) =>
          session.journey.registrationEmail
            ? {
                view: 'pages/check-email.njk',
                data: { title: 'Check your email', email: session.journey.registrationEmail },
              }
            : { redirect: '/register' },
      }),
      // Opening the link only shows a button: mail scanners that follow links must not use them up.
      'register-confirm': page({
        handle: async ({ query }) => {
          await deps.registration.checkLink(query.token);
          return {
            view: 'pages/confirm-link.njk',
            data: {
              title: 'Confirm your email address',
              paragraphs: ['Confirm your email address to finish creating your account.'],
              action: '/register/confirm',
              token: query.token,
              submit: 'Confirm email address',
            },
          };
        },
      }),
      'register-confirm-submit': page({
        handle: async ({ form, sourceIp }) => {
          await deps.registration.confirm(form.token, sourceIp);
          return { view: 'pages/registered.njk', data: { title: 'You now have an account' } };
        },
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
      'login-submit': page({
        formView: 'pages/login.njk',
        formData: () => ({ title: 'Log in' }),
        secretFields: ['password'],
        handle: async ({ form, session, sourceIp, event }) => {
          const account = await deps.passwordLogin.logIn({
            email: form.email ?? '',
            password: form.password ?? '',
            sourceIp,
          });
          const authenticated: BrowserSession = {
            ...session,
            authentication: {
              accountId: account.accountId,
              generation: account.sessionGeneration ?? 0,
              passwordAt: now(),
            },
            journey: {},
          };
          if (!account.phoneNumber)
            return { redirect: '/login/phone', session: { kind: 'renew', session: authenticated } };
          if (await deps.devices.recognise(account.accountId, readCookie(event.cookies, deviceCookie))) {
            await deps.audit.record({
              accountId: account.accountId,
              type: 'login-succeeded',
              at: deps.clock().toISOString(),
              sourceIp,
              detail: 'remembered-device',
            });
            return {
              redirect: '/login/done',
              session: { kind: 'renew', session: withSecondFactor(authenticated, 'remembered-device') },
              cookies: [deviceCookieValue(readCookie(event.cookies, deviceCookie) ?? '')],
            };
          }
          await deps.secondFactor.sendLoginCode(account, 'sms', sourceIp);
          return {
            redirect: '/login/code',
            session: { kind: 'renew', session: { ...authenticated, journey: { codeChannel: 'sms' } } },
          };
        },
      }),

      'add-phone': page({
        handle: async (request) =>
          (await withoutPhone(request))
            ? { view: 'pages/add-phone.njk', data: { title: 'Enter your mobile phone number', values: {} } }
            : toLogin,
      }),
      'add-phone-submit': page({
        formView: 'pages/add-phone.njk',
        formData: () => ({ title: 'Enter your mobile phone number' }),
        handle: async (request) => {
          const account = await withoutPhone(request);
          if (!account) return toLogin;
          const pendingPhoneNumber = await deps.secondFactor.sendPhoneCode(
            account,
            request.form.phoneNumber ?? '',
            request.sourceIp,
          );
          return {
            redirect: '/login/code',
            session: {
              kind: 'update',
              session: { ...request.session, journey: { pendingPhoneNumber, codeChannel: 'sms' } },
            },
          };
        },
      }),

      'enter-code': page({
        handle: async (request) => {
          const account = await passwordOnly(request);
          if (!account) return toLogin;
          const phone = request.session.journey.pendingPhoneNumber ?? account.phoneNumber;
          return { view: 'pages/enter-code.njk', data: codePageData(request.session, phone) };
        },
      }),
      'enter-code-submit': page({
        formView: 'pages/enter-code.njk',
        formData: async (request) => {
          const account = await passwordOnly(request);
          return codePageData(
            request.session,
            request.session.journey.pendingPhoneNumber ?? account?.phoneNumber,
          );
        },
        handle: async (request) => {
          const account = await passwordOnly(request);
          if (!account) return toLogin;
          const { journey } = request.session;
          await deps.secondFactor.verify(
            account,
            request.form.code ?? '',
            journey.pendingPhoneNumber,
            request.sourceIp,
          );
          const at = deps.clock().toISOString();
          const cookies: string[] = [];
          if (request.form.remember === 'yes') {
            const label = describeUserAgent(request.event.headers['user-agent']);
            cookies.push(deviceCookieValue(await deps.devices.remember(account.accountId, label)));
            await deps.audit.record({
              accountId: account.accountId,
              type: 'device-remembered',
              at,
              sourceIp: request.sourceIp,
            });
          }
          await deps.audit.record({
            accountId: account.accountId,
            type: 'login-succeeded',
            at,
            sourceIp: request.sourceIp,
            detail: journey.codeChannel ?? 'sms',
          });
          const secondFactor = journey.codeChannel === 'email' ? 'email-code' : 'sms-code';
          return {
            redirect: '/login/done',
            session: { kind: 'renew', session: withSecondFactor(request.session, secondFactor) },
            cookies,
          };
        },
      }),
      'code-resend': page({
        handle: async (request) => {
          const account = await passwordOnly(request);
          if (!account) return toLogin;
          const { journey } = request.session;
          await deps.secondFactor.resend(
            account,
            journey.pendingPhoneNumber,
            journey.codeChannel ?? 'sms',
            request.sourceIp,
          );
          return { redirect: '/login/code' };
        },
      }),
      'code-by-email': page({
        handle: async (request) => {
          const account = await passwordOnly(request);
          if (!account || request.session.journey.pendingPhoneNumber) return toLogin;
          await deps.secondFactor.sendLoginCode(account, 'email', request.sourceIp);
          return {
            redirect: '/login/code',
            session: { kind: 'update', session: { ...request.session, journey: { codeChannel: 'email' } } },
          };
        },
      }),

      'password-forgotten': page({
        handle: async () => ({
          view: 'pages/forgotten-password.njk',
          data: { title: 'Reset your password', values: {} },
        }),
      }),
      'password-forgotten-submit': page({
        formView: 'pages/forgotten-password.njk',
        formData: () => ({ title: 'Reset your password' }),
        handle: async ({ form, session, sourceIp }) => {
          const email = (form.email ?? '').trim();
          await deps.passwordReset.request(email, sourceIp);
          return {
            redirect: '/password/forgotten/sent',
            session: { kind: 'update', session: { ...session, journey: { resetEmail: email } } },
          };
        },
      }),
      'password-reset-sent': page({
        handle: async ({ session }) =>
          session.journey.resetEmail
            ? {
                view: 'pages/reset-sent.njk',
                data: { title: 'Check your email', email: session.journey.resetEmail },
              }
            : { redirect: '/password/forgotten' },
      }),
      'password-reset': page({
        handle: async ({ query }) => {
          await deps.passwordReset.checkLink(query.token);
          return {
            view: 'pages/reset-password.njk',
            data: { title: 'Create a new password', token: query.token },
          };
        },
      }),
      'password-reset-submit': page({
        formView: 'pages/reset-password.njk',
        formData: ({ form }) => ({ title: 'Create a new password', token: form.token }),
        secretFields: ['password'],
        handle: async ({ form, sourceIp }) => {
          await deps.passwordReset.complete(form.token, form.password ?? '', sourceIp);
          return { redirect: '/password/reset/done', session: { kind: 'end' } };
        },
      }),
      'password-reset-done': page({
        handle: async () => ({
          view: 'pages/password-reset-done.njk',
          data: { title: 'Your password has been reset' },
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
      // RP-initiated logout: ends our session, then back to the relying party if it may be.
      'end-session': page({
        handle: async ({ query, session, sourceIp }) => {
          if (session.authentication) {
            await deps.audit.record({
              accountId: session.authentication.accountId,
              type: 'logged-out',
              at: deps.clock().toISOString(),
              sourceIp,
            });
          }
          const redirect = await endSessionRedirect(
            {
              idTokenHint: query.id_token_hint,
              postLogoutRedirectUri: query.post_logout_redirect_uri,
              state: query.state,
              clientId: query.client_id,
            },
            { issuer: deps.issuer, jwks: deps.jwks, clients: deps.clients },
          );
          if (redirect) return { redirect, session: { kind: 'end' } };
          return {
            view: 'pages/logged-out.njk',
            data: { title: 'You have logged out' },
            session: { kind: 'end' },
          };
        },
      }),
      logout: page({
        handle: async ({ session, sourceIp }) => {
          if (session.authentication) {
            await deps.audit.record({
              accountId: session.authentication.accountId,
              type: 'logged-out',
              at: deps.clock().toISOString(),
              sourceIp,
            });
          }
          return {
            view: 'pages/logged-out.njk',
            data: { title: 'You have logged out' },
            session: { kind: 'end' },
          };
        },
      }),
    },
  });

  /** The remembered-device cookie, set afresh at each use so it lives as long as its record. */
  function deviceCookieValue(value: string): string {
    return serializeCookie(deviceCookie, value, {
      secure: deps.secureCookies,
      maxAgeSeconds: deps.devices.lifetimeSeconds,
    });
  }
};
