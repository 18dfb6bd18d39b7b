import { urlFor } from '../../src/routes.ts';
import { type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { type LoginKit, type LoginPagesDependencies, type LoginRoutes, toLogin } from './login-kit.ts';

/**
 * A first login's phone: "Enter your mobile phone number", then the code sent to it (no login
 * finishes without a confirmed one).
 */
export const addPhonePages = (deps: LoginPagesDependencies, { passwordOnly }: LoginKit, page: Page) => {
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
