import type { RecoveryPurpose } from '../../src/domain/accounts/account-recovery.ts';
import { urlFor } from '../../src/routes.ts';
import { fields } from '../../src/web/forms.ts';
import { textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { describeDuration } from '../../src/web/problem-pages.ts';
import { journeys, type RecoveryPagesDependencies, type RecoveryRoutes } from './recovery-kit.ts';

/**
 * The start of both recoveries: the email address the link goes to, then "Check your email", for
 * a forgotten password and for unlocking an account.
 */
export const recoveryRequestPages = (deps: RecoveryPagesDependencies, page: Page) => {
  /** The "enter your email address" form of a recovery, and its "check your email" page. */
  const askFor = (purpose: RecoveryPurpose, title: string, intro: string, sent: string, what: string) => {
    const formData = {
      title,
      intro,
      action: journeys[purpose].ask,
      fields: [fields.email],
      submit: 'Send link',
    };
    return {
      form: page({ handle: async () => ({ view: 'pages/form.njk', data: { ...formData, values: {} } }) }),
      submit: page({
        fields: textFields('email'),
        formView: 'pages/form.njk',
        formData: () => formData,
        handle: async ({ form, session, sourceIp }) => {
          const email = form.email.trim();
          if (purpose === 'reset-password') await deps.passwordReset.request(email, sourceIp);
          else await deps.accountUnlock.request(email, sourceIp);
          return {
            redirect: sent,
            session: { kind: 'update', session: { ...session, journey: { resetEmail: email } } },
          };
        },
      }),
      sent: page({
        handle: async ({ session }) =>
          session.journey.resetEmail
            ? {
                view: 'pages/reset-sent.njk',
                data: {
                  title: 'Check your email',
                  email: session.journey.resetEmail,
                  what,
                  again: journeys[purpose].ask,
                  linkLifetime: describeDuration(
                    purpose === 'reset-password'
                      ? deps.limits.resetLinkLifetimeSeconds
                      : deps.limits.unlockLinkLifetimeSeconds,
                  ),
                },
              }
            : { redirect: journeys[purpose].ask },
      }),
    };
  };
  const forgotten = askFor(
    'reset-password',
    'Reset your password',
    'Enter the email address you use to log in. We will send you a link to reset your password.',
    urlFor('password-reset-sent'),
    'reset your password',
  );
  const unlockRequest = askFor(
    'unlock-account',
    'Unlock your account',
    'Enter the email address you use to log in. We will send you a link to unlock your account, and then a security code to your phone.',
    urlFor('unlock-sent'),
    'unlock your account',
  );

  return {
    'password-forgotten': forgotten.form,
    'password-forgotten-submit': forgotten.submit,
    'password-reset-sent': forgotten.sent,
    unlock: unlockRequest.form,
    'unlock-submit': unlockRequest.submit,
    'unlock-sent': unlockRequest.sent,
  } satisfies RecoveryRoutes;
};
