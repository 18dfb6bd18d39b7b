import type { Account } from '../../src/domain/accounts/account.ts';
import { urlFor } from '../../src/routes.ts';
import { appSetUpData, confirmPendingApp, pendingAppSetUpData } from '../../src/web/app-set-up.ts';
import { type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { sessionAccount } from '../../src/web/session-account.ts';
import {
  type SettingsKit,
  type SettingsPagesDependencies,
  type SettingsRoutes,
  shownTime,
} from './settings-kit.ts';

/**
 * The authenticator app in the settings (beyond NHS login, which has no option without a phone):
 * set up behind the re-authentication gate with a QR code or its key, confirmed by a first code,
 * then the recovery codes shown once; and removing it after a confirmation.
 */
export const authenticatorAppPages = (
  deps: SettingsPagesDependencies,
  { withAccount, behindGate }: SettingsKit,
  page: Page,
) => {
  const pendingFormData = async (request: PageRequest<unknown>) =>
    pendingAppSetUpData(deps.authenticatorApps, await sessionAccount(deps.accounts, request, 'full'));

  const overview = (account: Account, updated: string | undefined) => {
    const app = account.authenticatorApp;
    return {
      view: 'pages/settings-app.njk',
      data: {
        title: 'Authenticator app',
        updated:
          updated === 'added'
            ? 'Your authenticator app has been set up'
            : updated === 'removed'
              ? 'Your authenticator app has been removed'
              : undefined,
        app: app && { added: shownTime(app.addedAt), recoveryCodesLeft: app.recoveryCodes.length },
        hasPhone: account.phoneNumber !== undefined,
      },
    };
  };

  return {
    'settings-app': page({
      handle: withAccount(async ({ query }, account) => overview(account, query.updated)),
    }),
    'settings-app-set-up': page({
      handle: behindGate('app', async (_request, account) => ({
        view: 'pages/settings-app-set-up.njk',
        data: await appSetUpData(await deps.authenticatorApps.beginSetUp(account)),
      })),
    }),
    'settings-app-set-up-submit': page({
      fields: textFields('code'),
      formView: 'pages/settings-app-set-up.njk',
      formData: pendingFormData,
      handle: behindGate('app', async ({ form, sourceIp }, account) => {
        const codes = await confirmPendingApp(deps.authenticatorApps, account, form.code, sourceIp);
        if (!codes) return { redirect: urlFor('settings-app-set-up') };
        // Shown once, in this response: they are kept only as digests.
        return {
          view: 'pages/settings-app-recovery-codes.njk',
          data: { title: 'Save your recovery codes', codes },
        };
      }),
    }),
    'settings-app-remove': page({
      fields: textFields('confirm'),
      handle: withAccount(async ({ form, sourceIp }, account) => {
        if (!account.authenticatorApp) return { redirect: urlFor('settings-app') };
        if (form.confirm !== 'yes')
          return {
            view: 'pages/confirm-app-removal.njk',
            data: { title: 'Remove your authenticator app?', hasPhone: account.phoneNumber !== undefined },
          };
        // Without a phone, the app is the only second factor: it stays until a phone is added.
        if (account.phoneNumber === undefined) return { redirect: urlFor('settings-app') };
        await deps.authenticatorApps.remove(account, sourceIp);
        return { redirect: urlFor('settings-app', { updated: 'removed' }) };
      }),
    }),
  } satisfies SettingsRoutes;
};
