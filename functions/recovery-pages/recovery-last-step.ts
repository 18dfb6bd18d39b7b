import { urlFor } from '../../src/routes.ts';
import { fields } from '../../src/web/forms.ts';
import { textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { type RecoveryPagesDependencies, type RecoveryRoutes, stepOf } from './recovery-kit.ts';

const newPasswordForm = {
  title: 'Create a new password',
  action: urlFor('password-reset-new'),
  fields: [fields.chosenPassword],
  submit: 'Reset password',
};

/**
 * The last step of each recovery, once the second factor is passed: a reset's new password (which
 * ends every session) and "Your password has been reset"; an unlock's "Your account is unlocked".
 */
export const lastStepPages = (deps: RecoveryPagesDependencies, page: Page) =>
  ({
    'password-reset-new': page({
      handle: async ({ session }) => {
        const step = stepOf(session, 'reset-password');
        if (!step) return { redirect: urlFor('password-forgotten') };
        await deps.recovery.ready(step);
        return { view: 'pages/form.njk', data: { ...newPasswordForm, values: {} } };
      },
    }),
    'password-reset-new-submit': page({
      fields: textFields('password'),
      formView: 'pages/form.njk',
      formData: () => newPasswordForm,
      secretFields: ['password'],
      handle: async ({ form, session, sourceIp }) => {
        const step = stepOf(session, 'reset-password');
        if (!step) return { redirect: urlFor('password-forgotten') };
        await deps.passwordReset.complete(step, form.password, sourceIp);
        // The browser's session ends with the reset; a service's request it was serving does not:
        // it goes on in a new session that holds nothing else, so the next login answers it.
        const { pendingAuthorization, interactionId } = session;
        if (!pendingAuthorization)
          return { redirect: urlFor('password-reset-done'), session: { kind: 'end' } };
        const { csrfToken, createdAt, lastSeenAt } = session;
        return {
          redirect: urlFor('password-reset-done'),
          session: {
            kind: 'renew',
            session: { csrfToken, createdAt, lastSeenAt, journey: {}, pendingAuthorization, interactionId },
          },
        };
      },
    }),
    'password-reset-done': page({
      handle: async () => ({
        view: 'pages/password-reset-done.njk',
        data: { title: 'Your password has been reset' },
      }),
    }),

    'unlock-done': page({
      handle: async ({ session }) =>
        !session.unlocked
          ? { redirect: urlFor('unlock') }
          : {
              view: 'pages/message.njk',
              data: {
                title: 'Your account is unlocked',
                paragraphs: [
                  'You can log in with your password now, from this browser, even if someone else is still trying to guess it.',
                  'If you did not enter the wrong password yourself, someone may be trying to get into your account. Keep your password to yourself, and change it if you have used it anywhere else.',
                ],
                action: { text: 'Log in', href: urlFor('login') },
              },
            },
    }),
  }) satisfies RecoveryRoutes;
