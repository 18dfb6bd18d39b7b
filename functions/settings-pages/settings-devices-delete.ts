import { urlFor } from '../../src/routes.ts';
import { fields } from '../../src/web/forms.ts';
import { textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { keptAfterRemoving } from '../../src/web/session-account.ts';
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
      fields: textFields('deviceId', 'confirm'),
      handle: withAccount(async ({ form: values, sourceIp, session }, account) => {
        // The settings page's "Remove" asks first; only the answer "yes" removes.
        if (values.confirm !== 'yes') {
          const device = (await deps.devices.list(account.accountId)).find(
            (candidate) => candidate.deviceId === values.deviceId,
          );
          if (!device) return { redirect: urlFor('settings') };
          return {
            view: 'pages/confirm-device-removal.njk',
            data: {
              title: 'Remove this remembered device?',
              label: device.label,
              deviceId: device.deviceId,
              paragraphs: [
                'The next time you log in on it, we will send you a security code again.',
                'If you think someone else is using your account, change your password as well.',
              ],
            },
          };
        }
        const removed = await deps.settings.removeDevice(account, values.deviceId, sourceIp);
        if (!removed) return { redirect: urlFor('settings') };
        // Removing the device ended the sessions logged in on it; this browser stays logged in.
        const kept = keptAfterRemoving(session, 'deviceId', values.deviceId);
        return { redirect: urlFor('settings', { updated: 'device' }), ...(kept ? { session: kept } : {}) };
      }),
    }),
    'settings-delete': remove.show,
    'settings-delete-submit': remove.submit,
  } satisfies SettingsRoutes;
};
