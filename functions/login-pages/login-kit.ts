import type { Account, AccountStore } from '../../src/domain/accounts/account.ts';
import type { CompletedLogin, LoginCompletion } from '../../src/domain/accounts/login-completion.ts';
import type { LoginSecondFactor } from '../../src/domain/accounts/login-second-factor.ts';
import type { NewPhoneNumbers } from '../../src/domain/accounts/new-phone-numbers.ts';
import type { PasswordLogin } from '../../src/domain/accounts/password-login.ts';
import { maskPhoneNumber } from '../../src/domain/accounts/phone-number.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { RememberedDevices } from '../../src/domain/devices/remembered-devices.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import { type LimitReason, TooManyAttemptsError } from '../../src/domain/limits/too-many-attempts-error.ts';
import type { AuthorizationDecision } from '../../src/domain/oidc/authorization-decision.ts';
import type { Passkeys } from '../../src/domain/passkeys/passkeys.ts';
import type { AuthenticatorApps } from '../../src/domain/second-factors/authenticator-app.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import type { RouteDefinition } from '../../src/platform/http/http-handler.ts';
import { isReturnablePage, type RouteIdOf, routes, urlFor } from '../../src/routes.ts';
import { cookieName, serializeCookie } from '../../src/web/cookies.ts';
import type { PageOutcome, PageRequest } from '../../src/web/page-routes.ts';
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
  readonly passkeys: Pick<Passkeys, 'beginLogin' | 'finishLogin'>;
  /** A first login's authenticator app, for a patient without a mobile phone. */
  readonly authenticatorApps: Pick<AuthenticatorApps, 'beginSetUp' | 'pendingSetUp' | 'confirmSetUp'>;
  readonly devices: Pick<RememberedDevices, 'lifetimeSeconds'>;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly secureCookies: boolean;
}

/** Some of the login routes: what each step's file gives, checked against the route table. */
export type LoginRoutes = { readonly [Id in RouteIdOf<'login-pages'>]?: RouteDefinition };

export const toLogin: PageOutcome = { redirect: urlFor('login') };

export const toAddPhone: PageOutcome = { redirect: urlFor('add-phone') };

/** A page of ours a login was asked for on (a GET route of the route table with no path parameter), or "You are logged in". */
const pageAskedFor = (routeId: string | undefined): string => {
  const route = routes.find((candidate) => candidate.id === routeId);
  return route && isReturnablePage(route) ? urlFor(route.id) : urlFor('logged-in');
};

/** Limits of one channel: a destination's day of codes (a phone's or an email address's), the texts' caps. */
const oneChannelLimits: ReadonlySet<LimitReason> = new Set<LimitReason>([
  'phone-daily-cap',
  'texts-per-network',
  'texts-per-account',
  'new-number-ceiling',
]);

export type LoginKit = ReturnType<typeof loginKit>;

/**
 * What the login steps share, bound to the dependencies: the account at each step, the code page's
 * words, and where a completed login goes.
 */
export const loginKit = (deps: LoginPagesDependencies) => {
  const deviceCookie = cookieName('device', deps.secureCookies);
  const now = () => Math.floor(deps.clock().getTime() / 1000);

  /** The account of a session that has passed the password step but not yet the second factor. */
  const passwordOnly = (request: PageRequest) => sessionAccount(deps.accounts, request, 'password');

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
        channel: session.journey.codeNotSent.channel ?? session.journey.codeChannel ?? 'sms',
        what: session.journey.codeNotSent.what,
        retryAt: formatTime(new Date(session.journey.codeNotSent.retryAt * 1000), deps.clock()),
      },
      maskedPhone: phone ? maskPhoneNumber(phone) : '',
      codeMinutes: deps.limits.securityCodeLifetimeSeconds / 60,
      // The email fallback is for an account whose phone is confirmed, never for adding one.
      // A limit on every channel at once (the account's codes) leaves no other channel to offer.
      canUseEmail:
        !session.journey.pendingPhoneNumber &&
        session.journey.codeChannel !== 'email' &&
        session.journey.codeNotSent?.otherChannel !== false &&
        session.journey.codeNotSent?.channel !== 'email' &&
        account !== undefined &&
        !deps.loginSecondFactor.needsFirstFactor(account),
      // From the email code's page or the authenticator app's, back to a text (for an account with a phone).
      canUseText:
        (session.journey.codeChannel === 'email' || session.journey.codeChannel === 'app') &&
        session.journey.codeNotSent?.otherChannel !== false &&
        account !== undefined &&
        deps.loginSecondFactor.canText(account),
    };
  };

  /**
   * What the code page says when a limit refused a code (anything else is thrown on), and
   * whether the other channel may still work: it may when the cap was one channel's.
   */
  const refusal = (error: unknown, channel: 'sms' | 'email' = 'sms') => {
    if (!(error instanceof TooManyAttemptsError)) throw error;
    const what =
      channel === 'email' && error.reason === 'phone-daily-cap'
        ? 'Too many security codes have been sent to your email address today.'
        : error.description;
    return {
      what,
      channel,
      retryAt: Math.ceil(error.retryAt.getTime() / 1000),
      otherChannel: oneChannelLimits.has(error.reason),
    };
  };

  /**
   * A code sent again, or by the other channel, that a limit of that channel refused: back to the
   * code page, which says so and offers the other channel. A limit on every channel is thrown on.
   */
  const refusedOnOneChannel = (error: unknown, channel: 'sms' | 'email') => {
    const notSent = refusal(error, channel);
    if (!notSent.otherChannel) throw error;
    return notSent;
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
   * waiting (answered now, not one redirect later), else to the page of ours the patient asked
   * for before logging in, else to "You are logged in".
   */
  const completed = async (
    { handedOver: _replaced, afterLogin, ...before }: BrowserSession,
    account: Account,
    login: CompletedLogin,
    consented: readonly string[] | undefined,
  ): Promise<PageOutcome> => {
    const authentication = before.authentication && {
      ...before.authentication,
      secondFactor: login.secondFactor,
      secondFactorAt: now(),
      ...(login.deviceId ? { deviceId: login.deviceId } : {}),
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
      return { redirect: pageAskedFor(afterLogin), session: { kind: 'renew', session }, cookies };
    const outcome = await continueAuthorization(
      deps.authorization,
      session,
      { authentication, account },
      { change: 'renew', consented },
    );
    return { ...outcome, cookies: [...(outcome.cookies ?? []), ...cookies] };
  };

  return {
    deviceCookie,
    now,
    passwordOnly,
    atSecondStep,
    isOutcome,
    codePageData,
    refusal,
    refusedOnOneChannel,
    consentFor,
    completed,
  };
};
