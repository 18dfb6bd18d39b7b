import { urlFor } from '../../src/routes.ts';
import { fields } from '../../src/web/forms.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { describeDuration } from '../../src/web/problem-pages.ts';
import {
  confirmPage,
  type SettingsForm,
  type SettingsKit,
  type SettingsPagesDependencies,
  type SettingsRoutes,
} from './settings-kit.ts';

const emailForm = {
  title: 'Change your email address',
  intro: 'We will send a link to your new email address. Your email address changes when you select it.',
  action: urlFor('settings-email'),
  fields: [fields.newEmail, fields.password],
  submit: 'Send link',
} as const satisfies SettingsForm;

/**
 * Changing the email address: the new address and the password, then the link sent to the new
 * address, which changes it when the patient selects its button.
 */
export const emailChangePages = (
  deps: SettingsPagesDependencies,
  { withAccount, form }: SettingsKit,
  page: Page,
) => {
  const email = form(
    emailForm,
    ['email', 'password'],
    async ({ form: values, sourceIp, session }, account) => {
      await deps.settings.requestEmailChange(account, values.email, values.password, sourceIp);
      return {
        redirect: urlFor('settings-email-sent'),
        session: {
          kind: 'update',
          session: { ...session, journey: { registrationEmail: values.email.trim() } },
        },
      };
    },
    { secrets: ['password'] },
  );

  return {
    'settings-email': email.show,
    'settings-email-submit': email.submit,
    'settings-email-sent': page({
      handle: withAccount(async ({ session }) => ({
        view: 'pages/message.njk',
        data: {
          title: 'Check your email',
          paragraphs: [
            `We have sent a link to ${session.journey.registrationEmail ?? 'your new email address'}.`,
            `Your email address changes when you select the link. It works for ${describeDuration(deps.limits.confirmationLinkLifetimeSeconds)}.`,
            'We have also told your current email address about the change.',
          ],
          action: { text: 'Back to your settings', href: urlFor('settings') },
        },
      })),
    }),
    'settings-email-confirm': page({
      handle: async ({ query }) => {
        await deps.settings.checkLink('confirm-new-email', query.token);
        return confirmPage(
          'Confirm your new email address',
          'Confirm that you want to use this email address to log in.',
          urlFor('settings-email-confirm'),
          query.token,
          'Confirm email address',
        );
      },
    }),
    'settings-email-confirm-submit': page({
      handle: async ({ form: values, sourceIp }) => {
        await deps.settings.confirmEmailChange(values.token, sourceIp);
        return {
          view: 'pages/message.njk',
          data: {
            title: 'Your email address has been changed',
            paragraphs: ['Use your new email address to log in from now on.'],
            action: { text: 'Log in', href: urlFor('login') },
          },
        };
      },
    }),
  } satisfies SettingsRoutes;
};
