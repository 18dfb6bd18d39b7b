import { urlFor } from '../../src/routes.ts';
import { appSetUpData, confirmPendingApp, pendingAppSetUpData } from '../../src/web/app-set-up.ts';
import { type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { type LoginKit, type LoginPagesDependencies, type LoginRoutes, toLogin } from './login-kit.ts';

/**
 * A first login's second factor: "Enter your mobile phone number", then the code sent to it, or
 * for a patient without a mobile phone an authenticator app and its first code (no login finishes
 * without one or the other).
 */
export const addPhonePages = (deps: LoginPagesDependencies, { passwordOnly, now }: LoginKit, page: Page) => {
  /** A first login's account, which has no second factor yet: only it may add a phone with the password alone. */
  const withoutSecondFactor = async (request: PageRequest) => {
    const account = await passwordOnly(request);
    return account && deps.loginSecondFactor.needsFirstFactor(account) ? account : undefined;
  };

  return {
    'add-phone': page({
      handle: async (request) =>
        (await withoutSecondFactor(request))
          ? { view: 'pages/add-phone.njk', data: { title: 'Enter your mobile phone number', values: {} } }
          : toLogin,
    }),
    // No mobile phone (issue 16, item 5): an authenticator app as the first second factor instead.
    'login-app': page({
      handle: async (request) => {
        const account = await withoutSecondFactor(request);
        if (!account) return toLogin;
        return {
          view: 'pages/settings-app-set-up.njk',
          data: {
            ...(await appSetUpData(await deps.authenticatorApps.beginSetUp(account))),
            action: urlFor('login-app-submit'),
            cancel: { text: 'Use a mobile phone instead', href: urlFor('add-phone') },
          },
        };
      },
    }),
    'login-app-submit': page({
      bindsToAuthorization: true,
      fields: textFields('code'),
      formView: 'pages/settings-app-set-up.njk',
      formData: async (request) => {
        return {
          ...(await pendingAppSetUpData(deps.authenticatorApps, await withoutSecondFactor(request))),
          action: urlFor('login-app-submit'),
          cancel: { text: 'Use a mobile phone instead', href: urlFor('add-phone') },
        };
      },
      handle: async (request) => {
        const account = await withoutSecondFactor(request);
        if (!account) return toLogin;
        const codes = await confirmPendingApp(
          deps.authenticatorApps,
          account,
          request.form.code,
          request.sourceIp,
        );
        if (!codes) return { redirect: urlFor('login-app') };
        const { authentication } = request.session;
        if (!authentication) return toLogin;
        // The app's first code is the login's second factor; the recovery codes are shown once,
        // here, before the login goes on ("You are logged in" answers a waiting service).
        return {
          view: 'pages/settings-app-recovery-codes.njk',
          data: { title: 'Save your recovery codes', codes, next: urlFor('logged-in') },
          session: {
            kind: 'renew',
            session: {
              ...request.session,
              authentication: { ...authentication, secondFactor: 'app-code', secondFactorAt: now() },
              journey: {},
            },
          },
        };
      },
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
  } satisfies LoginRoutes;
};
