import { urlFor } from '../../src/routes.ts';
import { fields } from '../../src/web/forms.ts';
import { textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import type { SettingsForm, SettingsKit, SettingsPagesDependencies, SettingsRoutes } from './settings-kit.ts';

const deleteForm = {
  title: 'Delete your account',
  warning:
    'This deletes your account and everything we keep about it. You will not be able to use it to log in to any website or app.',
  action: urlFor('settings-delete'),
  fields: [fields.password],
  submit: 'Delete account',
} as const satisfies SettingsForm;

/** Removing a remembered device from the settings page, and deleting the account after the password. */
export const devicesAndDeletePages = (
  deps: SettingsPagesDependencies,
  { withAccount, form }: SettingsKit,
  page: Page,
) => {
  const remove = form(
    deleteForm,
    ['password'],
    async ({ form: values, sourceIp }, account) => {
      await deps.settings.deleteAccount(account, values.password, sourceIp);
      return {
        view: 'pages/message.njk',
        data: {
          title: 'Your account has been deleted',
          paragraphs: [
            'We have deleted your account and everything we kept about it.',
            'We have sent you an email to confirm this.',
          ],
        },
        session: { kind: 'end' },
      };
    },
    { secrets: ['password'] },
  );

  return {
    'settings-device-remove': page({
      fields: textFields('deviceId'),
      handle: withAccount(async ({ form: values, sourceIp }, account) => {
        const removed = await deps.settings.removeDevice(account, values.deviceId, sourceIp);
        return { redirect: removed ? urlFor('settings', { updated: 'device' }) : urlFor('settings') };
      }),
    }),
    'settings-delete': remove.show,
    'settings-delete-submit': remove.submit,
  } satisfies SettingsRoutes;
};
