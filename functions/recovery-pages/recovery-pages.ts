import type { Page } from '../../src/web/pages-handler.ts';
import type { RecoveryPagesDependencies } from './recovery-kit.ts';
import { lastStepPages } from './recovery-last-step.ts';
import { linkAndCodePages } from './recovery-link-code.ts';
import { recoveryRequestPages } from './recovery-request.ts';

export type { RecoveryPagesDependencies } from './recovery-kit.ts';

/**
 * Getting back in by email: a forgotten password and unlocking an account after too many wrong
 * passwords. Both are the same journey (the link, then the code to the phone on file, then the
 * last step), kept in the session by the link's digest, never its token: each step in its own file.
 */
export const recoveryPages = (deps: RecoveryPagesDependencies, page: Page) => ({
  ...recoveryRequestPages(deps, page),
  ...linkAndCodePages(deps, page),
  ...lastStepPages(deps, page),
});
