import { randomBytes } from 'node:crypto';
import type { Registration } from '../../src/domain/accounts/registration.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import { withIndefiniteArticle } from '../../src/domain/messaging/message-wording.ts';
import { urlFor } from '../../src/routes.ts';
import { cookieName, readCookie, serializeCookie } from '../../src/web/cookies.ts';
import { type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { describeDuration } from '../../src/web/problem-pages.ts';

export interface RegistrationPagesDependencies {
  readonly registration: Registration;
  /** The service's name: the seeds' "NHS login", as in "You now have an NHS login". */
  readonly serviceName: string;
  readonly limits: Limits;
  readonly secureCookies: boolean;
  /** The support team's own contact route (`CONTACT_URL`), if the stage has one. */
  readonly supportUrl?: string | undefined;
}

const confirmPage = (token: string | undefined, needsPassword: boolean) => ({
  title: 'Confirm your email address',
  paragraphs: needsPassword
    ? [
        'Confirm your email address to finish creating your account.',
        'You are using a different browser or device from the one you set up your account on, so we need the password you chose then.',
        'If you did not set up an account, or do not know this password, do not continue: someone else may have used your email address. You can set up your own account instead.',
      ]
    : ['Confirm your email address to finish creating your account.'],
  action: urlFor('register-confirm'),
  token,
  submit: 'Confirm email address',
  ...(needsPassword
    ? {
        passwordField: {
          label: 'The password you chose for this account',
          hint: 'We need it to check it is you.',
        },
      }
    : {}),
});

/**
 * Creating an account and confirming its email address. The browser that registers keeps a
 * random secret in a cookie for as long as its link works: with it, confirming is one click;
 * without it (another device, or someone else's registration), the password chosen is needed.
 */
export const registrationPages = (deps: RegistrationPagesDependencies, page: Page) => {
  const registrationCookie = cookieName('registration', deps.secureCookies);
  const secretOf = (request: Pick<PageRequest, 'event'>) =>
    readCookie(request.event.cookies, registrationCookie);

  return {
    register: page({
      handle: async () => ({ view: 'pages/register.njk', data: { title: 'Create an account', values: {} } }),
    }),
    'register-submit': page({
      fields: textFields('email', 'password', 'terms'),
      formView: 'pages/register.njk',
      formData: () => ({ title: 'Create an account' }),
      secretFields: ['password'],
      handle: async ({ form, session, sourceIp }) => {
        const browserSecret = randomBytes(32).toString('base64url');
        await deps.registration.start({
          email: form.email,
          password: form.password,
          termsAccepted: form.terms === 'accepted',
          sourceIp,
          browserSecret,
        });
        return {
          redirect: urlFor('register-check-email'),
          session: {
            kind: 'update',
            session: { ...session, journey: { registrationEmail: form.email.trim() } },
          },
          // Set whether or not the address has an account, so the response is the same either way.
          cookies: [
            serializeCookie(registrationCookie, browserSecret, {
              secure: deps.secureCookies,
              maxAgeSeconds: deps.limits.confirmationLinkLifetimeSeconds,
            }),
          ],
        };
      },
    }),
    'register-check-email': page({
      handle: async ({ session, query }) =>
        session.journey.registrationEmail
          ? {
              view: 'pages/check-email.njk',
              data: {
                title: session.journey.registrationAtLogin
                  ? 'Confirm your email address before you log in'
                  : 'Check your email',
                atLogin: session.journey.registrationAtLogin === true,
                sentAgain: query.sent === 'again',
                email: session.journey.registrationEmail,
                linkLifetime: describeDuration(deps.limits.confirmationLinkLifetimeSeconds),
              },
            }
          : { redirect: urlFor('register') },
    }),
    // A new link, replacing the old, for the browser that registered or gave the registration's password.
    'register-resend': page({
      handle: async ({ session, sourceIp, event }) => {
        const email = session.journey.registrationEmail;
        if (!email) return { redirect: urlFor('register') };
        const registeringSecret = secretOf({ event });
        const browserSecret = randomBytes(32).toString('base64url');
        const { admitted, linkDigest } = await deps.registration.sendAgain({
          email,
          sourceIp,
          browserSecret,
          registeringSecret,
          provenLinkDigest: session.journey.registrationLink,
        });
        return {
          redirect: `${urlFor('register-check-email')}?sent=again`,
          session: {
            kind: 'update',
            session: {
              ...session,
              journey: { ...session.journey, ...(linkDigest ? { registrationLink: linkDigest } : {}) },
            },
          },
          // The new link is tied to the new secret; with no new email, the old one still works.
          cookies: [
            serializeCookie(
              registrationCookie,
              admitted ? browserSecret : (registeringSecret ?? browserSecret),
              {
                secure: deps.secureCookies,
                maxAgeSeconds: deps.limits.confirmationLinkLifetimeSeconds,
              },
            ),
          ],
        };
      },
    }),
    // Opening the link only shows a button: mail scanners that follow links must not use them up.
    'register-confirm': page({
      handle: async (request) => {
        const token = request.query.token;
        const { needsPassword } = await deps.registration.checkLink(token, secretOf(request));
        return { view: 'pages/confirm-link.njk', data: confirmPage(token, needsPassword) };
      },
    }),
    'register-confirm-submit': page({
      formView: 'pages/confirm-link.njk',
      formData: (request) => confirmPage(request.form.token, true),
      secretFields: ['password'],
      handle: async (request) => {
        await deps.registration.confirm(
          request.form.token,
          { browserSecret: secretOf(request), password: request.form.password },
          request.sourceIp,
        );
        return {
          view: 'pages/registered.njk',
          data: { title: `You now have ${withIndefiniteArticle(deps.serviceName)}` },
          cookies: [
            serializeCookie(registrationCookie, '', { secure: deps.secureCookies, maxAgeSeconds: 0 }),
          ],
        };
      },
    }),
  };
};
