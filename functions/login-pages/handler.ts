import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import { urlFor } from '../../src/routes.ts';
import { createPagesHandler, type PagesHandlerDependencies } from '../../src/web/pages-handler.ts';
import { passkeyCeremony } from '../../src/web/passkey-forms.ts';
import { sessionAccount } from '../../src/web/session-account.ts';
import { type LoginPagesDependencies, loginPages } from './login-pages.ts';
import { passkeyOffered } from './login-passkey.ts';

export interface LoginFunctionDependencies extends PagesHandlerDependencies, LoginPagesDependencies {}

/** Logging in: the password, the second factor, and "You are logged in". */
export const createHandler = (deps: LoginFunctionDependencies): HttpHandler =>
  createPagesHandler('login-pages', deps, (page) => ({
    ...loginPages(deps, page),
    login: page({
      handle: async ({ session }) => ({
        view: 'pages/login.njk',
        data: {
          title: 'Log in',
          values: {},
          allowRegistration: session.pendingAuthorization?.allowRegistration ?? true,
          // The passkey button and the email field's autofill, where this login may be a passkey's.
          ...(passkeyOffered(session) ? { passkey: await passkeyCeremony(deps.passkeys) } : {}),
        },
      }),
    }),
    'logged-in': page({
      handle: async (request) => {
        const account = await sessionAccount(deps.accounts, request, 'full');
        if (!account) return { redirect: urlFor('login') };
        // A relying party is waiting: its request goes on now the patient is logged in.
        if (request.session.pendingAuthorization) return { redirect: urlFor('authorize-continue') };
        return { view: 'pages/logged-in.njk', data: { title: 'You are logged in', email: account.email } };
      },
    }),
  }));
