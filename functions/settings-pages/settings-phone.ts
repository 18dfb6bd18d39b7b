import { maskPhoneNumber } from '../../src/domain/accounts/phone-number.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { urlFor } from '../../src/routes.ts';
import { backToSettings, codeForm, fields } from '../../src/web/forms.ts';
import { textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import {
  confirmPage,
  type SettingsForm,
  type SettingsKit,
  type SettingsPagesDependencies,
  type SettingsRoutes,
} from './settings-kit.ts';

const phoneForm = {
  title: 'Change your mobile phone number',
  intro:
    'We will send a security code to the new number by text message. We will also tell your old number and your email address about the change.',
  action: urlFor('settings-phone'),
  fields: [fields.phoneNumber],
  submit: 'Continue',
} as const satisfies SettingsForm;

/**
 * Changing the mobile phone number, behind the re-authentication gate: the new number, then the
 * code sent to it; and cancelling a change from the link sent about it.
 */
export const phoneChangePages = (
  deps: SettingsPagesDependencies,
  { behindGate, form }: SettingsKit,
  page: Page,
) => {
  const phone = form(
    phoneForm,
    ['phoneNumber'],
    async ({ form: values, sourceIp, session }, account) => {
      const pendingPhoneNumber = await deps.settings.requestPhoneChange(
        account,
        values.phoneNumber,
        sourceIp,
      );
      return {
        redirect: urlFor('settings-phone-code'),
        session: { kind: 'update', session: { ...session, journey: { pendingPhoneNumber } } },
      };
    },
    { gate: 'phone' },
  );

  const newPhoneCodeForm = (session: BrowserSession) =>
    codeForm(deps.limits, {
      sentTo: maskPhoneNumber(session.journey.pendingPhoneNumber ?? ''),
      toNewNumber: true,
      action: urlFor('settings-phone-code'),
      resendAction: urlFor('settings-phone-code-resend'),
      links: [backToSettings],
    });

  return {
    'settings-phone': phone.show,
    'settings-phone-submit': phone.submit,
    'settings-phone-code': page({
      handle: behindGate('phone', async ({ session, query }) =>
        session.journey.pendingPhoneNumber
          ? {
              view: 'pages/form.njk',
              data: { ...newPhoneCodeForm(session), values: {}, resent: query.sent === 'again' },
            }
          : { redirect: urlFor('settings-phone') },
      ),
    }),
    'settings-phone-code-submit': page({
      fields: textFields('code'),
      formView: 'pages/form.njk',
      formData: ({ session }) => newPhoneCodeForm(session),
      handle: behindGate('phone', async ({ form: values, session, sourceIp }, account) => {
        const pending = session.journey.pendingPhoneNumber;
        if (!pending) return { redirect: urlFor('settings-phone') };
        const authority =
          session.reauthenticated?.secondFactorAt !== undefined ? 'old-phone-code' : 'old-phone-lost';
        await deps.settings.confirmPhoneChange(account, pending, values.code, authority, sourceIp);
        // The old phone's code proves nothing about the new one: the next sensitive change asks again.
        const { reauthenticated: _used, ...rest } = session;
        return {
          redirect: urlFor('settings', { updated: 'phone' }),
          session: { kind: 'update', session: { ...rest, journey: {} } },
        };
      }),
    }),
    'settings-phone-code-resend': page({
      handle: behindGate('phone', async ({ session, sourceIp }, account) => {
        const pending = session.journey.pendingPhoneNumber;
        if (!pending) return { redirect: urlFor('settings-phone') };
        await deps.settings.resendPhoneCode(account, pending, sourceIp);
        return { redirect: urlFor('settings-phone-code', { sent: 'again' }) };
      }),
    }),
    'settings-phone-cancel': page({
      handle: async ({ query }) => {
        await deps.settings.checkLink('cancel-phone-change', query.token);
        return confirmPage(
          'Cancel the change of your mobile phone number',
          'We will put your previous mobile phone number back, log you out everywhere and forget your remembered devices.',
          urlFor('settings-phone-cancel'),
          query.token,
          'Cancel the change',
        );
      },
    }),
    'settings-phone-cancel-submit': page({
      handle: async ({ form: values, sourceIp }) => {
        await deps.settings.cancelPhoneChange(values.token, sourceIp);
        return {
          view: 'pages/message.njk',
          data: {
            title: 'The change of mobile phone number has been cancelled',
            paragraphs: [
              'We have put your previous mobile phone number back, logged you out everywhere and forgotten your remembered devices.',
              'If you did not ask for the change, reset your password now.',
            ],
            action: { text: 'Reset your password', href: urlFor('password-forgotten') },
          },
        };
      },
    }),
  } satisfies SettingsRoutes;
};
