import type { Page } from '../../src/web/pages-handler.ts';
import { addPhonePages } from './login-add-phone.ts';
import { securityCodePages } from './login-code.ts';
import { type LoginPagesDependencies, loginKit } from './login-kit.ts';
import { passkeyLoginPages } from './login-passkey.ts';
import { passwordStepPages } from './login-password.ts';

export type { LoginPagesDependencies } from './login-kit.ts';

/**
 * Logging in: the password, then the second factor (or, at a first login, a mobile number to
 * confirm: no login finishes without one), a code by email only as a fallback for an account that
 * has its phone, and remembering the device; or a passkey, which stands for the whole login. Each
 * step in its own file.
 */
export const loginPages = (deps: LoginPagesDependencies, page: Page) => {
  const kit = loginKit(deps);
  return {
    ...passwordStepPages(deps, kit, page),
    ...addPhonePages(deps, kit, page),
    ...securityCodePages(deps, kit, page),
    ...passkeyLoginPages(deps, kit, page),
  };
};
