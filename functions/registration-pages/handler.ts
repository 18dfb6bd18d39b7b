import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import { createPagesHandler, type PagesHandlerDependencies } from '../../src/web/pages-handler.ts';
import { type RegistrationPagesDependencies, registrationPages } from './registration-pages.ts';

export interface RegistrationFunctionDependencies
  extends PagesHandlerDependencies,
    RegistrationPagesDependencies {}

/** The way in: the start page, the terms and help pages, and creating an account. */
export const createHandler = (deps: RegistrationFunctionDependencies): HttpHandler =>
  createPagesHandler('registration-pages', deps, (page) => ({
    ...registrationPages(deps, page),
    start: page({
      handle: async () => ({ view: 'pages/start.njk', data: { title: 'Log in or create an account' } }),
    }),
    'terms-of-use': page({
      handle: async () => ({
        view: 'pages/terms-of-use.njk',
        data: { title: `${deps.serviceName} terms and conditions` },
      }),
    }),
    contact: page({
      handle: async ({ query }) => {
        // Only a reference of the form we show is repeated back, never whatever the link carried.
        const cid = /^CID\d{4}$/.test(query.cid ?? '') ? query.cid : undefined;
        const support = deps.supportUrl ? new URL(deps.supportUrl) : undefined;
        if (support && cid) support.searchParams.set('cid', cid);
        return {
          view: 'pages/contact.njk',
          data: { title: `Get help with your ${deps.serviceName}`, cid, supportHref: support?.href },
        };
      },
    }),
  }));
