import type { Account, AccountStore } from '../../src/domain/accounts/account.ts';
import type { AccountSettings } from '../../src/domain/accounts/account-settings.ts';
import { maskPhoneNumber } from '../../src/domain/accounts/phone-number.ts';
import type { AuditEvent, AuditLog } from '../../src/domain/audit/audit-log.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { RememberedDevices } from '../../src/domain/devices/remembered-devices.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import type { RouteDefinition } from '../../src/platform/http/http-handler.ts';
import type { PageDefinition, PageOutcome, PageRequest } from '../../src/web/page-routes.ts';
import { sessionAccount } from './session-account.ts';

export interface SettingsPagesDependencies {
  readonly accounts: AccountStore;
  readonly settings: AccountSettings;
  readonly devices: RememberedDevices;
  readonly audit: AuditLog;
  readonly limits: Limits;
  readonly clock: Clock;
}

type Page = (definition: PageDefinition) => RouteDefinition;

const when = (iso: string): string =>
  new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
    timeZone: 'Europe/London',
  });

/** What the recent-activity list says for each event a patient would recognise. */
const activityText: Partial<Record<AuditEvent['type'], string>> = {
  registered: 'Account created',
  'login-succeeded': 'Logged in',
  'login-failed': 'Login failed: wrong password',
  'password-check-failed': 'Wrong password entered in settings',
  'locked-out': 'Login locked after too many wrong passwords',
  'password-reset': 'Password reset',
  'password-changed': 'Password changed',
  'email-changed': 'Email address changed',
  'phone-added': 'Mobile phone number added',
  'phone-changed': 'Mobile phone number changed',
  'phone-change-cancelled': 'Change of mobile phone number cancelled',
  'device-remembered': 'Device remembered',
  'device-removed': 'Remembered device removed',
  'logged-out': 'Logged out',
};

/** The notice shown at the top of the settings page after a change (from a fixed list, never from input). */
const updates: Record<string, string> = {
  password: 'Your password has been changed',
  phone: 'Your mobile phone number has been changed',
  email: 'Your email address has been changed',
  device: 'The device has been removed',
};

const fields = {
  password: { name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password' },
  email: { name: 'email', label: 'New email address', type: 'email', autocomplete: 'email' },
  currentPassword: {
    name: 'currentPassword',
    label: 'Current password',
    type: 'password',
    autocomplete: 'current-password',
  },
  newPassword: {
    name: 'newPassword',
    label: 'New password',
    type: 'password',
    autocomplete: 'new-password',
    hint: 'Use 8 characters or more. A few words you will remember make a strong password.',
  },
  phoneNumber: {
    name: 'phoneNumber',
    label: 'New UK mobile phone number',
    type: 'tel',
    autocomplete: 'tel',
    hint: 'For example, 07700 900 982',
    classes: 'nhsuk-input--width-20',
  },
  code: {
    name: 'code',
    label: 'Security code',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    classes: 'nhsuk-input--width-10',
  },
} as const;

const forms = {
  email: {
    title: 'Change your email address',
    intro: 'We will send a link to your new email address. Your email address changes when you select it.',
    action: '/settings/email',
    fields: [fields.email, fields.password],
    submit: 'Send link',
  },
  password: {
    title: 'Change your password',
    intro: 'You will be logged out everywhere else.',
    action: '/settings/password',
    fields: [fields.currentPassword, fields.newPassword],
    submit: 'Change password',
  },
  phone: {
    title: 'Change your mobile phone number',
    intro: 'We will send a security code to the new number by text message.',
    action: '/settings/phone',
    fields: [fields.phoneNumber],
    submit: 'Continue',
  },
  delete: {
    title: 'Delete your account',
    warning:
      'This deletes your account and everything we keep about it. You will not be able to use it to log in to any website or app.',
    action: '/settings/delete',
    fields: [fields.password],
    submit: 'Delete account',
  },
} as const;

/** The login and security settings pages; every one needs a fully logged-in session. */
export const settingsPages = (deps: SettingsPagesDependencies, page: Page) => {
  const toLogin: PageOutcome = { redirect: '/login' };

  /** The account of a session that passed both the password and the second factor. */
  const loggedIn = (request: PageRequest) => sessionAccount(deps.accounts, request, 'full');

  /** A settings page that needs the account; without a full login it goes to the login page. */
  const withAccount =
    (handle: (request: PageRequest, account: Account) => Promise<PageOutcome>) =>
    async (request: PageRequest) => {
      const account = await loggedIn(request);
      return account ? handle(request, account) : toLogin;
    };

  const form = (
    name: keyof typeof forms,
    handle: (request: PageRequest, account: Account) => Promise<PageOutcome>,
    secrets: string[] = [],
  ) => ({
    show: page({
      handle: withAccount(async () => ({
        view: 'pages/settings-form.njk',
        data: { ...forms[name], values: {} },
      })),
    }),
    submit: page({
      formView: 'pages/settings-form.njk',
      formData: () => forms[name],
      secretFields: secrets,
      handle: withAccount(handle),
    }),
  });

  const email = form(
    'email',
    async ({ form: values, sourceIp, session }, account) => {
      await deps.settings.requestEmailChange(account, values.email ?? '', values.password ?? '', sourceIp);
      return {
        redirect: '/settings/email/sent',
        session: {
          kind: 'update',
          session: { ...session, journey: { registrationEmail: (values.email ?? '').trim() } },
        },
      };
    },
    ['password'],
  );
  const password = form(
    'password',
    async ({ form: values, sourceIp, session }, account) => {
      const generation = await deps.settings.changePassword(
        account,
        values.currentPassword ?? '',
        values.newPassword ?? '',
        sourceIp,
      );
      // The patient just proved the password: this session stays, every other one was revoked.
      const passwordAt = Math.floor(deps.clock().getTime() / 1000);
      const authentication = session.authentication && { ...session.authentication, passwordAt, generation };
      return {
        redirect: '/settings?updated=password',
        session: { kind: 'renew', session: { ...session, authentication } },
      };
    },
    ['currentPassword', 'newPassword'],
  );
  const phone = form('phone', async ({ form: values, sourceIp, session }, account) => {
    const pendingPhoneNumber = await deps.settings.requestPhoneChange(
      account,
      values.phoneNumber ?? '',
      sourceIp,
    );
    return {
      redirect: '/settings/phone/code',
      session: { kind: 'update', session: { ...session, journey: { pendingPhoneNumber } } },
    };
  });
  const remove = form(
    'delete',
    async ({ form: values, sourceIp }, account) => {
      await deps.settings.deleteAccount(account, values.password ?? '', sourceIp);
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
    ['password'],
  );

  /** A page that uses a link only when the patient selects its button (so link scanners cannot). */
  const confirmPage = (
    title: string,
    paragraph: string,
    action: string,
    token: string | undefined,
    submit: string,
  ): PageOutcome => ({
    view: 'pages/confirm-link.njk',
    data: { title, paragraphs: [paragraph], action, token, submit },
  });

  const codeForm = (session: PageRequest['session']) => ({
    title: 'Enter the security code',
    intro: `We have sent a 6-digit security code by text message to ${maskPhoneNumber(session.journey.pendingPhoneNumber ?? '')}. The code expires after ${deps.limits.securityCodeLifetimeSeconds / 60} minutes.`,
    action: '/settings/phone/code',
    fields: [fields.code],
    submit: 'Continue',
    secondary: { action: '/settings/phone/code/resend', text: 'Send the code again' },
  });

  return {
    settings: page({
      handle: withAccount(async ({ query }, account) => {
        const [devices, events] = await Promise.all([
          deps.devices.list(account.accountId),
          deps.audit.recent(account.accountId, 30),
        ]);
        return {
          view: 'pages/settings.njk',
          data: {
            title: 'Login and security settings',
            updated: updates[query.updated ?? ''],
            email: account.email,
            phone: account.phoneNumber ? maskPhoneNumber(account.phoneNumber) : 'None',
            devices: devices.map((device) => ({
              deviceId: device.deviceId,
              label: device.label,
              lastUsed: when(device.lastUsedAt),
            })),
            activity: events
              .filter((event) => activityText[event.type])
              .slice(0, 10)
              .map((event) => ({ what: activityText[event.type], when: when(event.at) })),
          },
        };
      }),
    }),
    'settings-email': email.show,
    'settings-email-submit': email.submit,
    'settings-email-sent': page({
      handle: withAccount(async ({ session }) => ({
        view: 'pages/message.njk',
        data: {
          title: 'Check your email',
          paragraphs: [
            `We have sent a link to ${session.journey.registrationEmail ?? 'your new email address'}.`,
            'Your email address changes when you select the link. It works for 24 hours.',
          ],
          action: { text: 'Back to your settings', href: '/settings' },
        },
      })),
    }),
    'settings-email-confirm': page({
      handle: async ({ query }) => {
        await deps.settings.checkLink('confirm-new-email', query.token);
        return confirmPage(
          'Confirm your new email address',
          'Confirm that you want to use this email address to log in.',
          '/settings/email/confirm',
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
            action: { text: 'Log in', href: '/login' },
          },
        };
      },
    }),
    'settings-password': password.show,
    'settings-password-submit': password.submit,
    'settings-phone': phone.show,
    'settings-phone-submit': phone.submit,
    'settings-phone-code': page({
      handle: withAccount(async ({ session }) =>
        session.journey.pendingPhoneNumber
          ? { view: 'pages/settings-form.njk', data: { ...codeForm(session), values: {} } }
          : { redirect: '/settings/phone' },
      ),
    }),
    'settings-phone-code-submit': page({
      formView: 'pages/settings-form.njk',
      formData: ({ session }) => codeForm(session),
      handle: withAccount(async ({ form: values, session, sourceIp }, account) => {
        const pending = session.journey.pendingPhoneNumber;
        if (!pending) return { redirect: '/settings/phone' };
        await deps.settings.confirmPhoneChange(account, pending, values.code ?? '', sourceIp);
        return {
          redirect: '/settings?updated=phone',
          session: { kind: 'update', session: { ...session, journey: {} } },
        };
      }),
    }),
    'settings-phone-cancel': page({
      handle: async ({ query }) => {
        await deps.settings.checkLink('cancel-phone-change', query.token);
        return confirmPage(
          'Cancel the change of your mobile phone number',
          'We will put your previous mobile phone number back, log you out everywhere and forget your remembered devices.',
          '/settings/phone/cancel',
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
            action: { text: 'Reset your password', href: '/password/forgotten' },
          },
        };
      },
    }),
    'settings-device-remove': page({
      handle: withAccount(async ({ form: values, sourceIp }, account) => {
        const removed = await deps.settings.removeDevice(account, values.deviceId ?? '', sourceIp);
        return { redirect: removed ? '/settings?updated=device' : '/settings' };
      }),
    }),
    'settings-phone-code-resend': page({
      handle: withAccount(async ({ session, sourceIp }, account) => {
        const pending = session.journey.pendingPhoneNumber;
        if (!pending) return { redirect: '/settings/phone' };
        await deps.settings.resendPhoneCode(account, pending, sourceIp);
        return { redirect: '/settings/phone/code' };
      }),
    }),
    'settings-delete': remove.show,
    'settings-delete-submit': remove.submit,
  };
};
