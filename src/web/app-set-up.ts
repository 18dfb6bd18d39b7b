import type { Account } from '../domain/accounts/account.ts';
import { type AuthenticatorApps, NoPendingAppError } from '../domain/second-factors/authenticator-app.ts';

/** The key in groups of four, as apps' "enter a setup key" screens show it. */
const grouped = (key: string) => key.match(/.{1,4}/g)?.join(' ') ?? key;

/**
 * What an authenticator app's set-up page shows for a secret (pages/settings-app-set-up.njk): its
 * QR code, an SVG drawn here so the page needs no script, and its key to type in instead.
 */
export const appSetUpData = async (setUp: { readonly key: string; readonly uri: string }) => ({
  title: 'Set up an authenticator app',
  // Loaded at the first set-up: the login and settings pages do not evaluate it at cold start.
  qrCode: await (await import('qrcode')).default.toString(setUp.uri, {
    type: 'svg',
    margin: 2,
    width: 200,
    errorCorrectionLevel: 'M',
  }),
  key: grouped(setUp.key),
});

/** The set-up page shown again (after a wrong first code): the pending set-up's QR code and key, if any. */
export const pendingAppSetUpData = async (
  apps: Pick<AuthenticatorApps, 'pendingSetUp'>,
  account: Account | undefined,
) => {
  const pending = account && (await apps.pendingSetUp(account));
  return pending ? appSetUpData(pending) : { title: 'Set up an authenticator app' };
};

/**
 * Confirms a pending set-up with its first code: the recovery codes to show once, or undefined
 * when no set-up is waiting (finished in another tab, or never started: the page starts again).
 */
export const confirmPendingApp = (
  apps: Pick<AuthenticatorApps, 'confirmSetUp'>,
  account: Account,
  code: string,
  sourceIp: string,
): Promise<readonly string[] | undefined> =>
  apps.confirmSetUp(account, code, sourceIp).catch((error: unknown) => {
    if (error instanceof NoPendingAppError) return undefined;
    throw error;
  });
