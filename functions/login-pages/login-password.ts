import { sessionGenerationOf } from '../../src/domain/accounts/account.ts';
import { RegistrationNotConfirmedError } from '../../src/domain/accounts/account-errors.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { urlFor } from '../../src/routes.ts';
import { readCookie } from '../../src/web/cookies.ts';
import { textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { type LoginKit, type LoginPagesDependencies, type LoginRoutes, toAddPhone } from './login-kit.ts';

/**
 * The password step of a login: then straight on for a remembered device, to "Enter your mobile
 * phone number" at a first login, else to the security code sent by text.
 */
export const passwordStepPages = (
  deps: LoginPagesDependencies,
  { deviceCookie, now, refusal, consentFor, completed }: LoginKit,
  page: Page,
) =>
  ({
    'login-submit': page({
      bindsToAuthorization: true,
      fields: textFields('email', 'password'),
      formView: 'pages/login.njk',
      formData: () => ({ title: 'Log in' }),
      secretFields: ['password'],
      handle: async ({ form, session, sourceIp, event }) => {
        const unlocked = session.unlocked && session.unlocked.until > now() ? session.unlocked : undefined;
        const cookie = readCookie(event.cookies, deviceCookie);
        const loggedIn = await deps.passwordLogin
          .logIn({
            email: form.email,
            password: form.password,
            sourceIp,
            deviceCookie: cookie,
            unlockedAccountKey: unlocked?.accountKey,
          })
          .catch((error: unknown) => {
            if (error instanceof RegistrationNotConfirmedError) return error;
            throw error;
          });
        if (loggedIn instanceof RegistrationNotConfirmedError) {
          // The password of a registration whose email is not confirmed: say so, and offer the email again.
          return {
            redirect: urlFor('register-check-email'),
            session: {
              kind: 'update',
              session: {
                ...session,
                journey: {
                  registrationEmail: loggedIn.email,
                  registrationLink: loggedIn.linkDigest,
                  registrationAtLogin: true,
                },
              },
            },
          };
        }
        const { account, rememberedDevice } = loggedIn;
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
        // The authenticator app when the account has one (nothing is sent), else a text.
        const started = await deps.loginSecondFactor.start(account, sourceIp).then(
          (challenge) => ({ channel: challenge.kind === 'app' ? ('app' as const) : ('sms' as const) }),
          (error: unknown) => ({ channel: 'sms' as const, notSent: refusal(error) }),
        );
        // A text a limit refused still leads to the code page, where the email fallback is offered.
        return {
          redirect: urlFor('enter-code'),
          session: {
            kind: 'renew',
            session: {
              ...authenticated,
              journey: {
                codeChannel: started.channel,
                ...('notSent' in started ? { codeNotSent: started.notSent } : {}),
              },
            },
          },
        };
      },
    }),
  }) satisfies LoginRoutes;
