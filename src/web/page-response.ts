import type { HttpResponse } from '../platform/http/http-types.ts';
import type { RenderedPage } from './page-renderer.ts';

/**
 * The pages' CSP: no inline script but the design system's one-line class setter, by nonce. Forms
 * post to us only, and their redirects may end at us or at the origins given (the relying party
 * waiting for an answer: browsers apply form-action to the redirects that follow a post).
 */
export const contentSecurityPolicy = (nonce: string, formTargets: readonly string[] = []): string =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' https://assets.nhs.uk",
    "connect-src 'self'",
    ['form-action', "'self'", ...formTargets].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');

export const htmlResponse = (
  page: RenderedPage,
  status = 200,
  cookies: readonly string[] = [],
  formTargets: readonly string[] = [],
): HttpResponse => ({
  statusCode: status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy(page.nonce, formTargets),
  },
  ...(cookies.length > 0 ? { cookies: [...cookies] } : {}),
  body: page.html,
});

/** 303 after a form post, so a reload does not post again. */
export const redirectResponse = (location: string, cookies: readonly string[] = []): HttpResponse => ({
  statusCode: 303,
  headers: { location, 'cache-control': 'no-store' },
  ...(cookies.length > 0 ? { cookies: [...cookies] } : {}),
  body: '',
});
