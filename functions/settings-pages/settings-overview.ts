import { maskPhoneNumber } from '../../src/domain/accounts/phone-number.ts';
import type { AuditEvent } from '../../src/domain/audit/audit-log.ts';
import { cookieName, readCookie } from '../../src/web/cookies.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import {
  type SettingsKit,
  type SettingsPagesDependencies,
  type SettingsRoutes,
  shownTime as when,
} from './settings-kit.ts';

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
  'passkey-added': 'Passkey set up',
  'passkey-removed': 'Passkey removed',
  'passkey-login': 'Logged in with a passkey',
  'passkey-clone-refused': 'A copy of one of your passkeys was refused',
  'authenticator-app-added': 'Authenticator app set up',
  'authenticator-app-removed': 'Authenticator app removed',
  'recovery-code-used': 'Recovery code used',
  'logged-out': 'Logged out',
};

/** The notice shown at the top of the settings page after a change (from a fixed list, never from input). */
const updates: Record<string, string> = {
  password: 'Your password has been changed',
  phone: 'Your mobile phone number has been changed',
  email: 'Your email address has been changed',
  device: 'The device has been removed',
};

/**
 * The settings home page: the email address, the phone, the remembered devices, the recent
 * activity on the account, and the notice after a change.
 */
export const overviewPages = (deps: SettingsPagesDependencies, { withAccount }: SettingsKit, page: Page) =>
  ({
    settings: page({
      handle: withAccount(async ({ query, event, session }, account) => {
        // Which row is this browser: the device id before the cookie's secret (for the label only).
        const cookie = readCookie(event.cookies, cookieName('device', deps.secureCookies));
        const thisDevice = cookie?.split('.')[0];
        const [devices, events, passkeys] = await Promise.all([
          deps.devices.list(account.accountId),
          deps.audit.recent(account.accountId, 30),
          deps.passkeys.list(account),
        ]);
        // Coming back here ("Cancel and go back to your settings") ends a change in progress: a
        // new number's code can no longer be entered.
        const { pendingPhoneNumber: _cancelled, ...journey } = session.journey;
        return {
          ...(session.journey.pendingPhoneNumber
            ? { session: { kind: 'update' as const, session: { ...session, journey } } }
            : {}),
          view: 'pages/settings.njk',
          data: {
            title: 'Login and security settings',
            updated: Object.hasOwn(updates, query.updated ?? '') ? updates[query.updated ?? ''] : undefined,
            email: account.email,
            phone: account.phoneNumber ? maskPhoneNumber(account.phoneNumber) : 'None',
            authenticatorApp: account.authenticatorApp ? 'Set up' : 'Not set up',
            passkeys:
              passkeys.length === 0
                ? 'None set up'
                : `${passkeys.length} set up (${passkeys.map((passkey) => passkey.name).join(', ')})`,
            devices: devices.map((device) => ({
              deviceId: device.deviceId,
              label: device.label,
              thisDevice: device.deviceId === thisDevice,
              remembered: when(device.createdAt),
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
  }) satisfies SettingsRoutes;
