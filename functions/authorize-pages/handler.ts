import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import { createPagesHandler, type PagesHandlerDependencies } from '../../src/web/pages-handler.ts';
import { type AuthorizePagesDependencies, authorizePages } from './authorize-pages.ts';

export interface AuthorizeFunctionDependencies extends PagesHandlerDependencies, AuthorizePagesDependencies {}

/** The authorization endpoint and the pages between it and the answer. */
export const createHandler = (deps: AuthorizeFunctionDependencies): HttpHandler =>
  createPagesHandler('authorize-pages', deps, (page) => authorizePages(deps, page));
