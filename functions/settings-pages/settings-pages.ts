import type { Page } from '../../src/web/pages-handler.ts';
import { authenticatorAppPages } from './settings-app.ts';
import { devicesAndDeletePages } from './settings-devices-delete.ts';
import { emailChangePages } from './settings-email.ts';
import { emailReportPages } from './settings-email-report.ts';
import { type SettingsPagesDependencies, settingsKit } from './settings-kit.ts';
import { overviewPages } from './settings-overview.ts';
import { passkeyPages } from './settings-passkeys.ts';
import { passwordChangePages } from './settings-password.ts';
import { phoneChangePages } from './settings-phone.ts';
import { reauthenticationPages } from './settings-reauthenticate.ts';

export type { SettingsPagesDependencies } from './settings-kit.ts';

/**
 * The login and security settings pages: each journey in its own file. Every page needs a fully
 * logged-in session, except those an emailed link opens (confirming or reporting an email change,
 * undoing a phone change), which the link itself authorises.
 */
export const settingsPages = (deps: SettingsPagesDependencies, page: Page) => {
  const kit = settingsKit(deps, page);
  return {
    ...overviewPages(deps, kit, page),
    ...emailChangePages(deps, kit, page),
    ...emailReportPages(deps, page),
    ...passwordChangePages(deps, kit),
    ...phoneChangePages(deps, kit, page),
    ...reauthenticationPages(deps, kit, page),
    ...devicesAndDeletePages(deps, kit, page),
    ...passkeyPages(deps, kit, page),
    ...authenticatorAppPages(deps, kit, page),
  };
};
