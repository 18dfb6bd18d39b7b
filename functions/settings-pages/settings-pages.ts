import type { Account, AccountStore } from '../../src/domain/accounts/account.ts';
import type { AccountSettings } from '../../src/domain/accounts/account-settings.ts';
import { maskPhoneNumber } from '../../src/domain/accounts/phone-number.ts';
import type { Reauthentication } from '../../src/domain/accounts/reauthentication.ts';
import type { AuditEvent, AuditLog } from '../../src/domain/audit/audit-log.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { RememberedDevices } from '../../src/domain/devices/remembered-devices.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import { TooManyAttemptsError } from '../../src/domain/limits/too-many-attempts-error.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import {
  isRecentlyReauthenticated,
  type ReauthenticationNeed,
} from '../../src/domain/sessions/recent-authentication.ts';
import { urlFor } from '../../src/routes.ts';
import { backToSettings, codeForm, fields, lostPhoneLink } from '../../src/web/forms.ts';
import {
  type FormValues,
  type PageOutcome,
  type PageRequest,
  type TextFields,
  textFields,
} from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { describeDuration, formatTime } from '../../src/web/problem-pages.ts';
import { sessionAccount } from '../../src/web/session-account.ts';

export interface SettingsPagesDependencies {
  readonly accounts: AccountStore;
  readonly settings: AccountSettings;
  readonly reauthentication: Reauthentication;
  readonly devices: RememberedDevices;
  readonly audit: AuditLog;
  readonly limits: Limits;
  readonly clock: Clock;
}

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
  'locked-out': 'Logins delayed after too many wrong passwords',
  'account-unlocked': 'Account unlocked',
  'registration-attempted': 'Someone tried to set up a new account with your email address',
  'email-change-requested': 'Change of email address asked for',
  'email-change-reported': 'Change of email address cancelled from your old email address',
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

const forms = {
  email: {
    title: 'Change your email address',
    intro: 'We will send a link to your new email address. Your email address changes when you select it.',
    action: urlFor('settings-email'),
    fields: [fields.newEmail, fields.password],
    submit: 'Send link',
  },
  password: {
    title: 'Change your password',
    intro: 'You will be logged out everywhere else.',
    action: urlFor('settings-password'),
    fields: [fields.currentPassword, fields.newPassword],
    submit: 'Change password',
  },
  phone: {
    title: 'Change your mobile phone number',
    intro:
      'We will send a security code to the new number by text message. We will also tell your old number and your email address about the change.',
    action: urlFor('settings-phone'),
    fields: [fields.phoneNumber],
    submit: 'Continue',
  },
  reauthenticate: {
    title: 'Enter your password',
    intro:
      'To change your mobile phone number, we need to check it is you. Enter your password, and we will then send a security code to the phone on your account.',
    action: urlFor('settings-reauthenticate'),
    fields: [fields.password],
    submit: 'Continue',
  },
  delete: {
    title: 'Delete your account',
    warning:
      'This deletes your account and everything we keep about it. You will not be able to use it to log in to any website or app.',
    action: urlFor('settings-delete'),
    fields: [fields.password],
    submit: 'Delete account',
  },
} as const;

/** The settings pages a re-authentication can lead to, and what each needs: a fixed list, never a URL from input. */
const reauthenticationTargets = {
  phone: { path: urlFor('settings-phone'), need: 'second-factor-or-lost-phone' },
} as const satisfies Record<string, { path: string; need: ReauthenticationNeed }>;

type ReauthenticationTarget = keyof typeof reauthenticationTargets;

const targetOf = (name: string | undefined): ReauthenticationTarget =>
  name !== undefined && Object.hasOwn(reauthenticationTargets, name)
    ? (name as ReauthenticationTarget)
    : 'phone';

/** The login and security settings pages; every one needs a fully logged-in session. */
export const settingsPages = (deps: SettingsPagesDependencies, page: Page) => {
  const toLogin: PageOutcome = { redirect: urlFor('login') };
  const now = () => Math.floor(deps.clock().getTime() / 1000);

  /** The account of a session that passed both the password and the second factor. */
  const loggedIn = (request: PageRequest<unknown>) => sessionAccount(deps.accounts, request, 'full');

  /** A settings page that needs the account; without a full login it goes to the login page. */
  const withAccount =
    <Form = FormValues>(handle: (request: PageRequest<Form>, account: Account) => Promise<PageOutcome>) =>
    async (request: PageRequest<Form>) => {
      const account = await loggedIn(request);
      return account ? handle(request, account) : toLogin;
    };

  /**
   * The recent re-authentication gate: a page behind it needs the password (and the second factor,
   * or for a phone change the patient's word that the phone is lost) given again within the last
   * few minutes; otherwise the patient is asked for them first, and comes back here.
   */
  const behindGate = <Form = FormValues>(
    target: ReauthenticationTarget,
    handle: (request: PageRequest<Form>, account: Account) => Promise<PageOutcome>,
  ) =>
    withAccount<Form>(async (request, account) => {
      const passed = isRecentlyReauthenticated(request.session.reauthenticated, {
        accountId: account.accountId,
        now: now(),
        windowSeconds: deps.limits.reauthenticationWindowSeconds,
        need: reauthenticationTargets[target].need,
      });
      return passed
        ? handle(request, account)
        : { redirect: urlFor('settings-reauthenticate', { for: target }) };
    });

  const form = <const Names extends readonly string[]>(
    name: keyof typeof forms,
    fieldNames: Names,
    handle: (
      request: PageRequest<{ readonly [Name in Names[number]]: string }>,
      account: Account,
    ) => Promise<PageOutcome>,
    options: { secrets?: string[]; gate?: ReauthenticationTarget } = {},
  ) => {
    const formFields = textFields(...fieldNames);
    const shown = async (): Promise<PageOutcome> => ({
      view: 'pages/form.njk',
      data: { ...forms[name], links: [backToSettings], values: {} },
    });
    type Form = TextFields<Names>;
    const guard = (inner: (request: PageRequest<Form>, account: Account) => Promise<PageOutcome>) =>
      options.gate ? behindGate<Form>(options.gate, inner) : withAccount<Form>(inner);
    return {
      show: page({
        handle: options.gate ? behindGate(options.gate, shown) : withAccount(shown),
      }),
      submit: page({
        fields: formFields,
        formView: 'pages/form.njk',
        formData: () => ({ ...forms[name], links: [backToSettings] }),
        secretFields: options.secrets ?? [],
        handle: guard(handle),
      }),
    };
  };

  const email = form(
    'email',
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
  const password = form(
    'password',
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
  const phone = form(
    'phone',
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
  const reauthenticate = form(
    'reauthenticate',
    ['password'],
    async ({ form: values, sourceIp, session }, account) => {
      await deps.reauthentication.checkPassword(account, values.password, sourceIp);
      const target = targetOf(session.journey.reauthenticateFor);
      const reauthenticated = { accountId: account.accountId, passwordAt: now() };
      if (!deps.reauthentication.hasSecondFactor(account)) {
        return {
          redirect: reauthenticationTargets[target].path,
          session: { kind: 'update', session: { ...session, reauthenticated } },
        };
      }
      // A text a limit refuses still leads to the code page, where "I do not have this phone" is.
      const sent = await deps.reauthentication.sendCode(account, sourceIp).then(
        (challenge) => ({ codeSentTo: challenge.sentTo }),
        (error: unknown) => {
          if (!(error instanceof TooManyAttemptsError)) throw error;
          return {
            codeNotSent: { what: error.description, retryAt: Math.ceil(error.retryAt.getTime() / 1000) },
          };
        },
      );
      return {
        redirect: urlFor('settings-reauthenticate-code'),
        session: {
          kind: 'update',
          session: { ...session, reauthenticated, journey: { reauthenticateFor: target, ...sent } },
        },
      };
    },
    { secrets: ['password'] },
  );
  const remove = form(
    'delete',
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

  const newPhoneCodeForm = (session: BrowserSession) =>
    codeForm(deps.limits, {
      sentTo: maskPhoneNumber(session.journey.pendingPhoneNumber ?? ''),
      action: urlFor('settings-phone-code'),
      resendAction: urlFor('settings-phone-code-resend'),
      links: [backToSettings],
    });

  /** The code sent to the phone on the account; for a phone change, the patient may say it is lost instead. */
  const reauthenticationCodeForm = (session: BrowserSession) => ({
    ...codeForm(deps.limits, {
      sentTo: session.journey.codeSentTo ?? '',
      action: urlFor('settings-reauthenticate-code'),
      resendAction: urlFor('settings-reauthenticate-code-resend'),
      secondary:
        targetOf(session.journey.reauthenticateFor) === 'phone'
          ? [
              {
                action: urlFor('settings-reauthenticate-lost-phone'),
                text: 'I do not have this phone any more',
                heading: 'Lost your phone, or changed your number?',
              },
            ]
          : [],
      links: [backToSettings],
    }),
    ...(session.journey.codeNotSent
      ? {
          paragraphs: [],
          notice: {
            heading: 'We could not send a security code',
            text: `${session.journey.codeNotSent.what} You can ask for one again after ${formatTime(new Date(session.journey.codeNotSent.retryAt * 1000), deps.clock())}.`,
          },
        }
      : {}),
  });

  /** A "this was not me" link with nothing left to cancel: no one is logged out for it. */
  const nothingToReport: PageOutcome = {
    view: 'pages/message.njk',
    data: {
      title: 'There is no change to cancel',
      paragraphs: [
        'The change of email address this link was about has been cancelled, has expired, or was never made.',
        'If you think someone else is using your account, reset your password: you will need your mobile phone for a security code.',
      ],
      action: { text: 'Reset your password', href: urlFor('password-forgotten') },
    },
  };

  const reportedPage = (outcome: 'cancelled' | 'put-back'): PageOutcome => ({
    view: 'pages/message.njk',
    data: {
      title:
        outcome === 'put-back'
          ? 'Your email address has been put back'
          : 'The change of email address has been cancelled',
      paragraphs: [
        outcome === 'put-back'
          ? 'We have moved your account back to this email address, logged it out everywhere and forgotten its remembered devices.'
          : 'We have cancelled the change, logged your account out everywhere and forgotten its remembered devices.',
        'Whoever asked for it knew your password. Reset your password now: you will need your mobile phone for a security code.',
      ],
      action: { text: 'Reset your password', href: urlFor('password-forgotten') },
    },
  });

  const restoreCodeForm = (session: BrowserSession) =>
    codeForm(deps.limits, {
      sentTo: session.journey.codeSentTo ?? '',
      action: urlFor('settings-email-report-code'),
      resendAction: urlFor('settings-email-report-code-resend'),
      links: [lostPhoneLink],
    });

  /** Whether the password was given again a moment ago in this session, by this account. */
  const passwordJustGiven = (session: BrowserSession, account: Account) =>
    isRecentlyReauthenticated(session.reauthenticated && { ...session.reauthenticated, oldPhoneLost: true }, {
      accountId: account.accountId,
      now: now(),
      windowSeconds: deps.limits.reauthenticationWindowSeconds,
      need: 'second-factor-or-lost-phone',
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
            updated: Object.hasOwn(updates, query.updated ?? '') ? updates[query.updated ?? ''] : undefined,
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
    'settings-password': password.show,
    'settings-password-submit': password.submit,
    'settings-phone': phone.show,
    'settings-phone-submit': phone.submit,
    'settings-phone-code': page({
      handle: behindGate('phone', async ({ session }) =>
        session.journey.pendingPhoneNumber
          ? { view: 'pages/form.njk', data: { ...newPhoneCodeForm(session), values: {} } }
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
        return { redirect: urlFor('settings-phone-code') };
      }),
    }),
    'settings-reauthenticate': page({
      handle: withAccount(async ({ query, session }) => ({
        view: 'pages/form.njk',
        data: { ...forms.reauthenticate, links: [backToSettings], values: {} },
        session: {
          kind: 'update',
          session: { ...session, journey: { reauthenticateFor: targetOf(query.for) } },
        },
      })),
    }),
    'settings-reauthenticate-submit': reauthenticate.submit,
    'settings-reauthenticate-code': page({
      handle: withAccount(async ({ session }, account) =>
        passwordJustGiven(session, account)
          ? { view: 'pages/form.njk', data: { ...reauthenticationCodeForm(session), values: {} } }
          : { redirect: urlFor('settings-reauthenticate') },
      ),
    }),
    'settings-reauthenticate-code-submit': page({
      fields: textFields('code'),
      formView: 'pages/form.njk',
      formData: ({ session }) => reauthenticationCodeForm(session),
      handle: withAccount(async ({ form: values, session, sourceIp }, account) => {
        const reauthenticated = session.reauthenticated;
        if (!reauthenticated || !passwordJustGiven(session, account))
          return { redirect: urlFor('settings-reauthenticate') };
        await deps.reauthentication.verifyCode(account, values.code, sourceIp);
        const target = targetOf(session.journey.reauthenticateFor);
        return {
          redirect: reauthenticationTargets[target].path,
          session: {
            kind: 'update',
            session: {
              ...session,
              reauthenticated: { ...reauthenticated, secondFactorAt: now() },
              journey: {},
            },
          },
        };
      }),
    }),
    'settings-reauthenticate-code-resend': page({
      handle: withAccount(async ({ session, sourceIp }, account) => {
        if (!passwordJustGiven(session, account)) return { redirect: urlFor('settings-reauthenticate') };
        const challenge = await deps.reauthentication.sendCode(account, sourceIp);
        const { codeNotSent: _refusedBefore, ...journey } = session.journey;
        return {
          redirect: urlFor('settings-reauthenticate-code'),
          session: {
            kind: 'update',
            session: { ...session, journey: { ...journey, codeSentTo: challenge.sentTo } },
          },
        };
      }),
    }),
    // Only a phone change takes the patient's word that the old phone is gone, after the password.
    'settings-reauthenticate-lost-phone': page({
      handle: withAccount(async ({ session }, account) => {
        const reauthenticated = session.reauthenticated;
        if (
          !reauthenticated ||
          !passwordJustGiven(session, account) ||
          targetOf(session.journey.reauthenticateFor) !== 'phone'
        )
          return { redirect: urlFor('settings-reauthenticate') };
        return {
          redirect: reauthenticationTargets.phone.path,
          session: {
            kind: 'update',
            session: { ...session, reauthenticated: { ...reauthenticated, oldPhoneLost: true }, journey: {} },
          },
        };
      }),
    }),
    'settings-email-report': page({
      handle: async ({ query }) => {
        const report = await deps.settings.openEmailReport(query.token);
        if (report.state === 'nothing') return nothingToReport;
        return report.state === 'pending'
          ? confirmPage(
              'This was not me',
              'We will cancel the change of your email address and log your account out everywhere. Only do this if you did not ask to change your email address.',
              urlFor('settings-email-report'),
              query.token,
              'Cancel the change',
            )
          : confirmPage(
              'Put your email address back',
              'The change has been made. To check it is you, we will send a security code to the mobile phone on your account. Then we will put this email address back and log your account out everywhere.',
              urlFor('settings-email-report'),
              query.token,
              'Send the security code',
            );
      },
    }),
    'settings-email-report-submit': page({
      handle: async ({ form: values, session, sourceIp }) => {
        const report = await deps.settings.openEmailReport(values.token);
        if (report.state === 'nothing') return nothingToReport;
        if (report.state === 'pending') {
          await deps.settings.cancelReportedChange(report.linkDigest, sourceIp);
          return reportedPage('cancelled');
        }
        const emailReport = { linkDigest: report.linkDigest, secondFactorPassed: false };
        if (!report.needsSecondFactor) {
          await deps.settings.putBackEmail({ ...emailReport, secondFactorPassed: true }, sourceIp);
          return reportedPage('put-back');
        }
        const challenge = await deps.settings.sendRestoreCode(report.linkDigest, sourceIp);
        return {
          redirect: urlFor('settings-email-report-code'),
          session: {
            kind: 'update',
            session: { ...session, journey: { emailReport, codeSentTo: challenge.sentTo } },
          },
        };
      },
    }),
    'settings-email-report-code': page({
      handle: async ({ session }) =>
        session.journey.emailReport
          ? { view: 'pages/form.njk', data: { ...restoreCodeForm(session), values: {} } }
          : nothingToReport,
    }),
    'settings-email-report-code-submit': page({
      fields: textFields('code'),
      formView: 'pages/form.njk',
      formData: ({ session }) => restoreCodeForm(session),
      handle: async ({ form: values, session, sourceIp }) => {
        const emailReport = session.journey.emailReport;
        if (!emailReport) return nothingToReport;
        await deps.settings.verifyRestoreCode(emailReport.linkDigest, values.code, sourceIp);
        await deps.settings.putBackEmail({ ...emailReport, secondFactorPassed: true }, sourceIp);
        return { ...reportedPage('put-back'), session: { kind: 'end' } };
      },
    }),
    'settings-email-report-code-resend': page({
      handle: async ({ session, sourceIp }) => {
        const emailReport = session.journey.emailReport;
        if (!emailReport) return nothingToReport;
        const challenge = await deps.settings.sendRestoreCode(emailReport.linkDigest, sourceIp);
        return {
          redirect: urlFor('settings-email-report-code'),
          session: {
            kind: 'update',
            session: { ...session, journey: { emailReport, codeSentTo: challenge.sentTo } },
          },
        };
      },
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
    'settings-device-remove': page({
      fields: textFields('deviceId'),
      handle: withAccount(async ({ form: values, sourceIp }, account) => {
        const removed = await deps.settings.removeDevice(account, values.deviceId, sourceIp);
        return { redirect: removed ? urlFor('settings', { updated: 'device' }) : urlFor('settings') };
      }),
    }),
    'settings-delete': remove.show,
    'settings-delete-submit': remove.submit,
  };
};
