import type { HttpResponse } from '../platform/http/http-types.ts';
import type { RenderedPage } from './page-renderer.ts';

/** What a page may reach beyond its own origin: the photo-ID pages' media store, and the previews of what they record. */
export interface ContentSecurityAdditions {
  /** Origins the page's forms may post to (the media store's upload form). */
  readonly formTargets?: readonly string[];
  /** Origins the page's script may fetch from (the media store, for uploads). */
  readonly connectSources?: readonly string[];
  /** Sources of video and audio (`blob:`, for a recording's preview). */
  readonly mediaSources?: readonly string[];
  /** Sources of images beyond our own (`blob:`, for a photo's preview). */
  readonly imageSources?: readonly string[];
}

/**
 * The pages' CSP: no inline script but the design system's one-line class setter, by nonce. Forms
 * post to us only, and their redirects may end at us or at the origins given (the relying party
 * waiting for an answer: browsers apply form-action to the redirects that follow a post). A page
 * may add the few sources it needs (`ContentSecurityAdditions`); no other page gets them.
 */
export const contentSecurityPolicy = (
  nonce: string,
  formTargets: readonly string[] = [],
  additions: ContentSecurityAdditions = {},
): string =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    ['img-src', "'self'", 'data:', ...(additions.imageSources ?? [])].join(' '),
    ...(additions.mediaSources ? [['media-src', "'self'", ...additions.mediaSources].join(' ')] : []),
    "font-src 'self' https://assets.nhs.uk",
    ['connect-src', "'self'", ...(additions.connectSources ?? [])].join(' '),
    ['form-action', "'self'", ...formTargets, ...(additions.formTargets ?? [])].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');

export const htmlResponse = (
  page: RenderedPage,
  status = 200,
  cookies: readonly string[] = [],
  formTargets: readonly string[] = [],
  additions: ContentSecurityAdditions = {},
): HttpResponse => ({
  statusCode: status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy(page.nonce, formTargets, additions),
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
