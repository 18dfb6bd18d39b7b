import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import { createPagesHandler, type PagesHandlerDependencies } from '../../src/web/pages-handler.ts';
import { type SettingsPagesDependencies, settingsPages } from './settings-pages.ts';

export interface SettingsFunctionDependencies extends PagesHandlerDependencies, SettingsPagesDependencies {}

/** Login and security settings. */
export const createHandler = (deps: SettingsFunctionDependencies): HttpHandler =>
  createPagesHandler('settings-pages', deps, (page) => settingsPages(deps, page));
