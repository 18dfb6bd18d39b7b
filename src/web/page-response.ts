import type { HttpResponse } from '../platform/http/http-types.ts';
import type { RenderedPage } from './page-renderer.ts';

/** The pages' CSP: no inline script but the design system's one-line class setter, by nonce. */
export const contentSecurityPolicy = (nonce: string): string =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' https://assets.nhs.uk",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');

export const htmlResponse = (
  page: RenderedPage,
  status = 200,
  cookies: readonly string[] = [],
): HttpResponse => ({
  statusCode: status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy(page.nonce),
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
