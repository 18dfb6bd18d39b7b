import type { Page } from '../../src/web/pages-handler.ts';
import { consentPages } from './authorize-consent.ts';
import { type AuthorizePagesDependencies, authorizeKit } from './authorize-kit.ts';
import { authorizeRequestPages } from './authorize-request.ts';

export type { AuthorizePagesDependencies } from './authorize-kit.ts';

/**
 * /authorize and the pages between it and the answer: consent ("prove who you are" is
 * identity-pages'). Each in its own file.
 */
export const authorizePages = (deps: AuthorizePagesDependencies, page: Page) => {
  const kit = authorizeKit(deps);
  return {
    ...authorizeRequestPages(deps, kit, page),
    ...consentPages(deps, kit, page),
  };
};
