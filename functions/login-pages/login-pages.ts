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
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { urlFor } from '../../src/routes.ts';
import { cookieName, readCookie, serializeCookie } from '../../src/web/cookies.ts';
import { type PageOutcome, type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { formatTime } from '../../src/web/problem-pages.ts';
import { sessionAccount } from '../../src/web/session-account.ts';

export interface LoginPagesDependencies {
  readonly accounts: AccountStore;
  readonly passwordLogin: PasswordLogin;
  readonly loginSecondFactor: LoginSecondFactor;
  readonly loginCompletion: LoginCompletion;
  readonly newPhones: NewPhoneNumbers;
  readonly devices: Pick<RememberedDevices, 'lifetimeSeconds'>;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly secureCookies: boolean;
}

const toLogin: PageOutcome = { redirect: urlFor('login') };

/**
 * Where a finished login goes: straight on with the relying party's request when one is waiting
 * (one hop, not two), else to "You are logged in".
 */
const afterLogin = (session: BrowserSession): string =>
  session.pendingAuthorization ? urlFor('authorize-continue') : urlFor('logged-in');
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

  /** A completed login: it also replaces any login a partner handed over for the pending request. */
  const completed = (
    { handedOver: _replaced, ...session }: BrowserSession,
    login: CompletedLogin,
  ): Pick<PageOutcome, 'session' | 'cookies'> => ({
    session: {
      kind: 'renew',
      session: {
        ...session,
        authentication: session.authentication && {
          ...session.authentication,
          secondFactor: login.secondFactor,
          secondFactorAt: now(),
        },
        journey: {},
      },
    },
    // The remembered-device cookie, set afresh at each use so it lives as long as its record.
    cookies:
      login.deviceCookie === undefined
        ? []
        : [
            serializeCookie(deviceCookie, login.deviceCookie, {
              secure: deps.secureCookies,
              maxAgeSeconds: deps.devices.lifetimeSeconds,
            }),
          ],
  });

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
          const login = await deps.loginCompletion.withRememberedDevice(
            account,
            rememberedDevice,
            cookie,
            sourceIp,
          );
          return { redirect: afterLogin(session), ...completed(authenticated, login) };
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
        const login = await deps.loginCompletion.withCode(account, request.session.journey, {
          code: request.form.code,
          sourceIp: request.sourceIp,
          ...(request.form.remember === 'yes'
            ? { remember: { userAgent: request.event.headers['user-agent'] } }
            : {}),
        });
        return { redirect: afterLogin(request.session), ...completed(request.session, login) };
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
