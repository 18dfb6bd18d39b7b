import { urlFor } from '../../src/routes.ts';
import { fields } from '../../src/web/forms.ts';
import type { SettingsForm, SettingsKit, SettingsPagesDependencies, SettingsRoutes } from './settings-kit.ts';

const passwordForm = {
  title: 'Change your password',
  intro: 'You will be logged out everywhere else.',
  action: urlFor('settings-password'),
  fields: [fields.currentPassword, fields.newPassword],
  submit: 'Change password',
} as const satisfies SettingsForm;

/** Changing the password: the current one and the new one, on one form; every other session ends. */
export const passwordChangePages = (deps: SettingsPagesDependencies, { now, form }: SettingsKit) => {
  const password = form(
    passwordForm,
    ['currentPassword', 'newPassword'],
    async ({ form: values, sourceIp, session }, account) => {
      const generation = await deps.settings.changePassword(
        account,
        values.currentPassword,
        values.newPassword,
        sourceIp,
      );
      // The patient just proved the password: this session stays, every other one was revoked.
      const passwordAt = now();
      const authentication = session.authentication && { ...session.authentication, passwordAt, generation };
      return {
        redirect: urlFor('settings', { updated: 'password' }),
        session: { kind: 'renew', session: { ...session, authentication } },
      };
    },
    { secrets: ['currentPassword', 'newPassword'] },
  );

  return {
    'settings-password': password.show,
    'settings-password-submit': password.submit,
  } satisfies SettingsRoutes;
};
