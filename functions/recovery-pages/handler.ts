import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import { createPagesHandler, type PagesHandlerDependencies } from '../../src/web/pages-handler.ts';
import { type RecoveryPagesDependencies, recoveryPages } from './recovery-pages.ts';

export interface RecoveryFunctionDependencies extends PagesHandlerDependencies, RecoveryPagesDependencies {}

/** Getting back in: a forgotten password, an unlock, a lost phone. */
export const createHandler = (deps: RecoveryFunctionDependencies): HttpHandler =>
  createPagesHandler('recovery-pages', deps, (page) => recoveryPages(deps, page));
