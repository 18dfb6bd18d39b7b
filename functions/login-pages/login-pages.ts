import { type Account, type AccountStore, sessionGenerationOf } from '../../src/domain/accounts/account.ts';
import type { CompletedLogin, LoginCompletion } from '../../src/domain/accounts/login-completion.ts';
import type { LoginSecondFactor } from '../../src/domain/accounts/login-second-factor.ts';
import type { NewPhoneNumbers } from '../../src/domain/accounts/new-phone-numbers.ts';
import type { PasswordLogin } from '../../src/domain/accounts/password-login.ts';
import { maskPhoneNumber } from '../../src/domain/accounts/phone-number.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { RememberedDevices } from '../../src/domain/devices/remembered-devices.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import { TooManyAttemptsError } from '../../src/domain/limits/too-many-attempts-error.ts';
import type { AuthorizationDecision } from '../../src/domain/oidc/authorization-decision.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { urlFor } from '../../src/routes.ts';
import { cookieName, readCookie, serializeCookie } from '../../src/web/cookies.ts';
import { type PageOutcome, type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { continueAuthorization } from '../../src/web/pending-authorization.ts';
import { formatTime } from '../../src/web/problem-pages.ts';
import { sessionAccount } from '../../src/web/session-account.ts';

export interface LoginPagesDependencies {
  readonly accounts: AccountStore;
  readonly passwordLogin: PasswordLogin;
  readonly loginSecondFactor: LoginSecondFactor;
  readonly loginCompletion: LoginCompletion;
  /** To answer the relying party's pending request as soon as the login is complete. */
  readonly authorization: Pick<AuthorizationDecision, 'next' | 'consentedScopes'>;
  readonly newPhones: NewPhoneNumbers;
  readonly devices: Pick<RememberedDevices, 'lifetimeSeconds'>;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly secureCookies: boolean;
}

const toLogin: PageOutcome = { redirect: urlFor('login') };

const toAddPhone: PageOutcome = { redirect: urlFor('add-phone') };

/**
 * Logging in: the password, then the second factor (or, at a first login, a mobile number to
 * confirm: no login finishes without one), a code by email only as a fallback for an account that
 * has its phone, and remembering the device.
 */
export const loginPages = (deps: LoginPagesDependencies, page: Page) => {
  const deviceCookie = cookieName('device', deps.secureCookies);
  const now = () => Math.floor(deps.clock().getTime() / 1000);

  /** The account of a session that has passed the password step but not yet the second factor. */
  const passwordOnly = (request: PageRequest) => sessionAccount(deps.accounts, request, 'password');

  /** A first login's account, which has no second factor yet: only it may add a phone with the password alone. */
  const withoutSecondFactor = async (request: PageRequest) => {
    const account = await passwordOnly(request);
    return account && deps.loginSecondFactor.needsFirstFactor(account) ? account : undefined;
  };

  /**
   * The account of a login at its second step, or where to send it instead: to the login page
   * without a password, to "Enter your mobile phone number" while there is no second factor yet.
   */
  const atSecondStep = async (request: PageRequest): Promise<Account | PageOutcome> => {
    const account = await passwordOnly(request);
    if (!account) return toLogin;
    if (!request.session.journey.pendingPhoneNumber && deps.loginSecondFactor.needsFirstFactor(account))
      return toAddPhone;
    return account;
  };
  const isOutcome = (value: Account | PageOutcome): value is PageOutcome => !('accountId' in value);

  const codePageData = (session: BrowserSession, account: Account | undefined) => {
    const phone = session.journey.pendingPhoneNumber ?? account?.phoneNumber;
    return {
      title: 'Enter the security code',
      channel: session.journey.codeChannel ?? 'sms',
      notSent: session.journey.codeNotSent && {
        what: session.journey.codeNotSent.what,
        retryAt: formatTime(new Date(session.journey.codeNotSent.retryAt * 1000), deps.clock()),
      },
      maskedPhone: phone ? maskPhoneNumber(phone) : '',
      codeMinutes: deps.limits.securityCodeLifetimeSeconds / 60,
      // The email fallback is for an account whose phone is confirmed, never for adding one.
      canUseEmail:
        !session.journey.pendingPhoneNumber &&
        session.journey.codeChannel !== 'email' &&
        account !== undefined &&
        !deps.loginSecondFactor.needsFirstFactor(account),
    };
  };

  /** What the code page says when a limit refused a text (anything else is thrown on). */
  const refusal = (error: unknown) => {
    if (!(error instanceof TooManyAttemptsError)) throw error;
    return { what: error.description, retryAt: Math.ceil(error.retryAt.getTime() / 1000) };
  };

  /**
   * The scopes on record for the account and the pending request's client, read while the login
   * is completed: a finished login answers the relying party at once.
   */
  const consentFor = (session: BrowserSession, account: Account) =>
    session.pendingAuthorization
      ? deps.authorization.consentedScopes(account.accountId, session.pendingAuthorization.clientId)
      : undefined;

  /**
   * Where a completed login goes, in a new session (which also replaces any login a partner handed
   * over for the pending request): straight on with the relying party's request when one is
   * waiting (answered now, not one redirect later), else to "You are logged in".
   */
  const completed = async (
    { handedOver: _replaced, ...before }: BrowserSession,
    account: Account,
    login: CompletedLogin,
    consented: readonly string[] | undefined,
  ): Promise<PageOutcome> => {
    const authentication = before.authentication && {
      ...before.authentication,
      secondFactor: login.secondFactor,
      secondFactorAt: now(),
    };
    const session: BrowserSession = { ...before, authentication, journey: {} };
    // The remembered-device cookie, set afresh at each use so it lives as long as its record.
    const cookies =
      login.deviceCookie === undefined
        ? []
        : [
            serializeCookie(deviceCookie, login.deviceCookie, {
              secure: deps.secureCookies,
              maxAgeSeconds: deps.devices.lifetimeSeconds,
            }),
          ];
    if (!session.pendingAuthorization || !authentication)
      return { redirect: urlFor('logged-in'), session: { kind: 'renew', session }, cookies };
    const outcome = await continueAuthorization(
      deps.authorization,
      session,
      { authentication, account },
      { change: 'renew', consented },
    );
    return { ...outcome, cookies: [...(outcome.cookies ?? []), ...cookies] };
  };

  return {
    'login-submit': page({
      bindsToAuthorization: true,
      fields: textFields('email', 'password'),
      formView: 'pages/login.njk',
      formData: () => ({ title: 'Log in' }),
      secretFields: ['password'],
      handle: async ({ form, session, sourceIp, event }) => {
        const unlocked = session.unlocked && session.unlocked.until > now() ? session.unlocked : undefined;
        const cookie = readCookie(event.cookies, deviceCookie);
        const { account, rememberedDevice } = await deps.passwordLogin.logIn({
          email: form.email,
          password: form.password,
          sourceIp,
          deviceCookie: cookie,
          unlockedAccountKey: unlocked?.accountKey,
        });
        const authenticated: BrowserSession = {
          ...session,
          authentication: {
            accountId: account.accountId,
            generation: sessionGenerationOf(account),
            passwordAt: now(),
          },
          journey: {},
        };
        if (deps.loginSecondFactor.needsFirstFactor(account))
          return { ...toAddPhone, session: { kind: 'renew', session: authenticated } };
        if (rememberedDevice && cookie) {
          const [login, consented] = await Promise.all([
            deps.loginCompletion.withRememberedDevice(account, rememberedDevice, cookie, sourceIp),
            consentFor(session, account),
          ]);
          return completed(authenticated, account, login, consented);
        }
        const notSent = await deps.loginSecondFactor.start(account, sourceIp).then(
          () => undefined,
          (error: unknown) => refusal(error),
        );
        // A text a limit refused still leads to the code page, where the email fallback is offered.
        return {
          redirect: urlFor('enter-code'),
          session: {
            kind: 'renew',
            session: {
              ...authenticated,
              journey: { codeChannel: 'sms', ...(notSent ? { codeNotSent: notSent } : {}) },
            },
          },
        };
      },
    }),

    'add-phone': page({
      handle: async (request) =>
        (await withoutSecondFactor(request))
          ? { view: 'pages/add-phone.njk', data: { title: 'Enter your mobile phone number', values: {} } }
          : toLogin,
    }),
    'add-phone-submit': page({
      bindsToAuthorization: true,
      fields: textFields('phoneNumber'),
      formView: 'pages/add-phone.njk',
      formData: () => ({ title: 'Enter your mobile phone number' }),
      handle: async (request) => {
        const account = await withoutSecondFactor(request);
        if (!account) return toLogin;
        const pendingPhoneNumber = await deps.newPhones.sendCode(
          account,
          request.form.phoneNumber,
          'add-phone',
          request.sourceIp,
        );
        return {
          redirect: urlFor('enter-code'),
          session: {
            kind: 'update',
            session: { ...request.session, journey: { pendingPhoneNumber, codeChannel: 'sms' } },
          },
        };
      },
    }),

    'enter-code': page({
      handle: async (request) => {
        const account = await atSecondStep(request);
        if (isOutcome(account)) return account;
        return { view: 'pages/enter-code.njk', data: codePageData(request.session, account) };
      },
    }),
    'enter-code-submit': page({
      bindsToAuthorization: true,
      fields: textFields('code', 'remember'),
      formView: 'pages/enter-code.njk',
      formData: async (request) => codePageData(request.session, await passwordOnly(request)),
      handle: async (request) => {
        const account = await atSecondStep(request);
        if (isOutcome(account)) return account;
        const [login, consented] = await Promise.all([
          deps.loginCompletion.withCode(account, request.session.journey, {
            code: request.form.code,
            sourceIp: request.sourceIp,
            ...(request.form.remember === 'yes'
              ? { remember: { userAgent: request.event.headers['user-agent'] } }
              : {}),
          }),
          consentFor(request.session, account),
        ]);
        return completed(request.session, account, login, consented);
      },
    }),
    'code-resend': page({
      bindsToAuthorization: true,
      handle: async (request) => {
        const account = await atSecondStep(request);
        if (isOutcome(account)) return account;
        const { codeNotSent: _refusedBefore, ...journey } = request.session.journey;
        await deps.loginSecondFactor.resend(account, journey, request.sourceIp);
        return {
          redirect: urlFor('enter-code'),
          session: { kind: 'update', session: { ...request.session, journey } },
        };
      },
    }),
    'code-by-email': page({
      bindsToAuthorization: true,
      handle: async (request) => {
        const account = await passwordOnly(request);
        if (!account) return toLogin;
        // Never to add a phone: a first login must confirm one, by text.
        if (request.session.journey.pendingPhoneNumber || deps.loginSecondFactor.needsFirstFactor(account))
          return toAddPhone;
        await deps.loginSecondFactor.sendByEmail(account, request.sourceIp);
        return {
          redirect: urlFor('enter-code'),
          session: { kind: 'update', session: { ...request.session, journey: { codeChannel: 'email' } } },
        };
      },
    }),
  };
};
