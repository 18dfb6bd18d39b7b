import { normaliseEmail, sessionGenerationOf } from '../../src/domain/accounts/account.ts';
import { checkEmailAddress } from '../../src/domain/accounts/email-address.ts';
import { InvalidInputError } from '../../src/domain/invalid-input-error.ts';
import { credentialsAllowed } from '../../src/domain/oidc/vectors-of-trust.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { passkeyCeremony, usePostedPasskey } from '../../src/web/passkey-forms.ts';
import { type LoginKit, type LoginPagesDependencies, type LoginRoutes, toLogin } from './login-kit.ts';

/**
 * Whether this login may be made with a passkey: always for our own pages, and for a relying
 * party's request only when one of its vectors of trust allows `Cm` (a passkey meets no vector
 * that names a password). docs/decisions.md, "Passkeys (issue 16, second part)".
 */
export const passkeyOffered = (session: BrowserSession): boolean =>
  !session.pendingAuthorization || credentialsAllowed(session.pendingAuthorization.vtr, 'Cm');

/** What every passkey failure says: never which check failed, nor whether the email has passkeys. */
const NOT_USED =
  'We could not log you in with that passkey. Try again, or log in with your email address and password';
const notUsed = (field: 'passkey' | 'email') => new InvalidInputError([{ field, message: NOT_USED }]);

/**
 * Logging in with a passkey (seed 004): the login page's button and the email field's autofill
 * post here, and so does the email-first page ("Enter your email address", then the device asks).
 * The email-first page is the same for every address: the device offers what passkeys it has for
 * this service, and the address only has to match the account of the one chosen.
 */
export const passkeyLoginPages = (
  deps: LoginPagesDependencies,
  { now, consentFor, completed }: LoginKit,
  page: Page,
) => {
  const emailFirstPage = async () => ({
    title: 'Log in with a passkey',
    passkey: await passkeyCeremony(deps.passkeys),
  });

  return {
    'login-passkey': page({
      handle: async ({ session }) =>
        passkeyOffered(session)
          ? { view: 'pages/login-passkey.njk', data: { ...(await emailFirstPage()), values: {} } }
          : toLogin,
    }),
    'login-passkey-submit': page({
      bindsToAuthorization: true,
      fields: textFields('challengeId', 'credential', 'email', 'from'),
      formView: 'pages/login-passkey.njk',
      formData: emailFirstPage,
      secretFields: ['credential', 'challengeId'],
      handle: async ({ form, session, sourceIp }) => {
        if (!passkeyOffered(session)) return toLogin;
        const emailFirst = form.from === 'email';
        if (emailFirst) {
          const problems = checkEmailAddress(form.email);
          if (problems.length > 0) throw new InvalidInputError(problems);
        }
        if (form.credential === '')
          throw new InvalidInputError([
            {
              field: 'passkey',
              message:
                'Your device did not give us a passkey. Select Continue to try again, or log in with your email address and password',
            },
          ]);
        const field = emailFirst ? 'email' : 'passkey';
        // Every refusal (unknown passkey, wrong signature, used challenge, a cloned authenticator)
        // reads the same to the patient; the log has which.
        const used = await usePostedPasskey(
          form.credential,
          (response) => deps.passkeys.finishLogin(form.challengeId, response, sourceIp),
          { field, message: NOT_USED },
        );
        const { account } = used;
        if (emailFirst && normaliseEmail(form.email) !== normaliseEmail(account.email)) throw notUsed(field);
        const at = now();
        const authenticated: BrowserSession = {
          ...session,
          authentication: {
            accountId: account.accountId,
            generation: sessionGenerationOf(account),
            passwordAt: at,
            passkeyId: used.passkey.credentialId,
          },
          journey: {},
        };
        return completed(
          authenticated,
          account,
          { secondFactor: 'passkey' },
          await consentFor(session, account),
        );
      },
    }),
  } satisfies LoginRoutes;
};
