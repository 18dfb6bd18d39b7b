/**
 * THE route table: pure data. The CDK stack, the local server and the discovery document are all
 * built from it, so a URL or a function is never typed twice.
 */

/** What a function may do with the resources of the stack; each maps to one least-privilege grant. */
export type Permission =
  | 'table:read'
  | 'table:write'
  | 'signing-key:sign'
  | 'signing-key:read-public'
  | 'email:send'
  | 'sms:send';

/** Files a function reads at run time, which the bundle must carry beside its code. */
export type BundledFiles = 'views' | 'assets' | 'common-passwords';

export interface FunctionSpec {
  readonly description: string;
  readonly permissions: readonly Permission[];
  readonly memoryMb?: number;
  readonly bundledFiles?: readonly BundledFiles[];
}

/** One Lambda function per entry, built from `functions/<name>/lambda.ts`. */
export const functionSpecs = {
  'openid-metadata': {
    description: 'OpenID Connect discovery document and the JSON Web Key Set',
    permissions: ['signing-key:read-public'],
  },
  'patient-pages': {
    description:
      'The hosted pages: start, create an account, log in with password and security code, log out',
    permissions: ['table:write', 'email:send', 'sms:send', 'signing-key:read-public'],
    memoryMb: 1024,
    bundledFiles: ['views', 'common-passwords'],
  },
  'oidc-token': {
    description: 'The token endpoint: authorization codes and refresh tokens for ID and access tokens',
    permissions: ['table:write', 'signing-key:sign'],
    memoryMb: 512,
  },
  'oidc-userinfo': {
    description: 'The UserInfo endpoint: the claims an access token may see, and client user metadata',
    permissions: ['table:write', 'signing-key:read-public'],
  },
  'static-assets': {
    description: 'The NHS design system styles, scripts and images the pages use',
    permissions: [],
    bundledFiles: ['assets'],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functionSpecs;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Browser features a page may ask for; the Permissions-Policy header disables every other one. */
export type BrowserFeature =
  | 'camera'
  | 'microphone'
  | 'publickey-credentials-get'
  | 'publickey-credentials-create';

export interface RouteSpec {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` for a path parameter. */
  readonly path: string;
  readonly function: FunctionName;
  /** What the route's pages may use (the video check, passkeys); none unless named. */
  readonly browserFeatures?: readonly BrowserFeature[];
}

export const routes = [
  {
    id: 'discovery',
    method: 'GET',
    path: '/.well-known/openid-configuration',
    function: 'openid-metadata',
  },
  { id: 'jwks', method: 'GET', path: '/.well-known/jwks.json', function: 'openid-metadata' },
  { id: 'start', method: 'GET', path: '/', function: 'patient-pages' },
  { id: 'terms-of-use', method: 'GET', path: '/terms-of-use', function: 'patient-pages' },
  { id: 'contact', method: 'GET', path: '/contact', function: 'patient-pages' },
  { id: 'register', method: 'GET', path: '/register', function: 'patient-pages' },
  { id: 'register-submit', method: 'POST', path: '/register', function: 'patient-pages' },
  { id: 'register-check-email', method: 'GET', path: '/register/check-email', function: 'patient-pages' },
  { id: 'register-confirm', method: 'GET', path: '/register/confirm', function: 'patient-pages' },
  { id: 'register-confirm-submit', method: 'POST', path: '/register/confirm', function: 'patient-pages' },
  { id: 'login', method: 'GET', path: '/login', function: 'patient-pages' },
  { id: 'login-submit', method: 'POST', path: '/login', function: 'patient-pages' },
  { id: 'add-phone', method: 'GET', path: '/login/phone', function: 'patient-pages' },
  { id: 'add-phone-submit', method: 'POST', path: '/login/phone', function: 'patient-pages' },
  { id: 'enter-code', method: 'GET', path: '/login/code', function: 'patient-pages' },
  { id: 'enter-code-submit', method: 'POST', path: '/login/code', function: 'patient-pages' },
  { id: 'code-resend', method: 'POST', path: '/login/code/resend', function: 'patient-pages' },
  { id: 'code-by-email', method: 'POST', path: '/login/code/email', function: 'patient-pages' },
  { id: 'logged-in', method: 'GET', path: '/login/done', function: 'patient-pages' },
  { id: 'logout', method: 'POST', path: '/logout', function: 'patient-pages' },
  { id: 'end-session', method: 'GET', path: '/end-session', function: 'patient-pages' },
  { id: 'end-session-submit', method: 'POST', path: '/end-session', function: 'patient-pages' },
  { id: 'password-forgotten', method: 'GET', path: '/password/forgotten', function: 'patient-pages' },
  { id: 'password-forgotten-submit', method: 'POST', path: '/password/forgotten', function: 'patient-pages' },
  { id: 'password-reset-sent', method: 'GET', path: '/password/forgotten/sent', function: 'patient-pages' },
  { id: 'password-reset', method: 'GET', path: '/password/reset', function: 'patient-pages' },
  { id: 'password-reset-submit', method: 'POST', path: '/password/reset', function: 'patient-pages' },
  { id: 'password-reset-code', method: 'GET', path: '/password/reset/code', function: 'patient-pages' },
  {
    id: 'password-reset-code-submit',
    method: 'POST',
    path: '/password/reset/code',
    function: 'patient-pages',
  },
  {
    id: 'password-reset-code-resend',
    method: 'POST',
    path: '/password/reset/code/resend',
    function: 'patient-pages',
  },
  { id: 'password-reset-new', method: 'GET', path: '/password/reset/new', function: 'patient-pages' },
  { id: 'password-reset-new-submit', method: 'POST', path: '/password/reset/new', function: 'patient-pages' },
  { id: 'password-reset-done', method: 'GET', path: '/password/reset/done', function: 'patient-pages' },
  { id: 'unlock', method: 'GET', path: '/login/unlock', function: 'patient-pages' },
  { id: 'unlock-submit', method: 'POST', path: '/login/unlock', function: 'patient-pages' },
  { id: 'unlock-sent', method: 'GET', path: '/login/unlock/sent', function: 'patient-pages' },
  { id: 'unlock-confirm', method: 'GET', path: '/login/unlock/confirm', function: 'patient-pages' },
  { id: 'unlock-confirm-submit', method: 'POST', path: '/login/unlock/confirm', function: 'patient-pages' },
  { id: 'unlock-code', method: 'GET', path: '/login/unlock/code', function: 'patient-pages' },
  { id: 'unlock-code-submit', method: 'POST', path: '/login/unlock/code', function: 'patient-pages' },
  { id: 'unlock-code-resend', method: 'POST', path: '/login/unlock/code/resend', function: 'patient-pages' },
  { id: 'unlock-done', method: 'GET', path: '/login/unlock/done', function: 'patient-pages' },
  { id: 'lost-phone', method: 'GET', path: '/lost-phone', function: 'patient-pages' },
  { id: 'settings', method: 'GET', path: '/settings', function: 'patient-pages' },
  { id: 'settings-email', method: 'GET', path: '/settings/email', function: 'patient-pages' },
  { id: 'settings-email-submit', method: 'POST', path: '/settings/email', function: 'patient-pages' },
  { id: 'settings-email-sent', method: 'GET', path: '/settings/email/sent', function: 'patient-pages' },
  { id: 'settings-email-confirm', method: 'GET', path: '/settings/email/confirm', function: 'patient-pages' },
  {
    id: 'settings-email-confirm-submit',
    method: 'POST',
    path: '/settings/email/confirm',
    function: 'patient-pages',
  },
  { id: 'settings-email-report', method: 'GET', path: '/settings/email/report', function: 'patient-pages' },
  {
    id: 'settings-email-report-submit',
    method: 'POST',
    path: '/settings/email/report',
    function: 'patient-pages',
  },
  {
    id: 'settings-email-report-code',
    method: 'GET',
    path: '/settings/email/report/code',
    function: 'patient-pages',
  },
  {
    id: 'settings-email-report-code-submit',
    method: 'POST',
    path: '/settings/email/report/code',
    function: 'patient-pages',
  },
  {
    id: 'settings-email-report-code-resend',
    method: 'POST',
    path: '/settings/email/report/code/resend',
    function: 'patient-pages',
  },
  {
    id: 'settings-reauthenticate',
    method: 'GET',
    path: '/settings/confirm-it-is-you',
    function: 'patient-pages',
  },
  {
    id: 'settings-reauthenticate-submit',
    method: 'POST',
    path: '/settings/confirm-it-is-you',
    function: 'patient-pages',
  },
  {
    id: 'settings-reauthenticate-code',
    method: 'GET',
    path: '/settings/confirm-it-is-you/code',
    function: 'patient-pages',
  },
  {
    id: 'settings-reauthenticate-code-submit',
    method: 'POST',
    path: '/settings/confirm-it-is-you/code',
    function: 'patient-pages',
  },
  {
    id: 'settings-reauthenticate-code-resend',
    method: 'POST',
    path: '/settings/confirm-it-is-you/code/resend',
    function: 'patient-pages',
  },
  {
    id: 'settings-reauthenticate-lost-phone',
    method: 'POST',
    path: '/settings/confirm-it-is-you/lost-phone',
    function: 'patient-pages',
  },
  { id: 'settings-password', method: 'GET', path: '/settings/password', function: 'patient-pages' },
  { id: 'settings-password-submit', method: 'POST', path: '/settings/password', function: 'patient-pages' },
  { id: 'settings-phone', method: 'GET', path: '/settings/phone', function: 'patient-pages' },
  { id: 'settings-phone-submit', method: 'POST', path: '/settings/phone', function: 'patient-pages' },
  { id: 'settings-phone-code', method: 'GET', path: '/settings/phone/code', function: 'patient-pages' },
  {
    id: 'settings-phone-code-submit',
    method: 'POST',
    path: '/settings/phone/code',
    function: 'patient-pages',
  },
  { id: 'settings-phone-cancel', method: 'GET', path: '/settings/phone/cancel', function: 'patient-pages' },
  {
    id: 'settings-phone-cancel-submit',
    method: 'POST',
    path: '/settings/phone/cancel',
    function: 'patient-pages',
  },
  {
    id: 'settings-phone-code-resend',
    method: 'POST',
    path: '/settings/phone/code/resend',
    function: 'patient-pages',
  },
  {
    id: 'settings-device-remove',
    method: 'POST',
    path: '/settings/devices/remove',
    function: 'patient-pages',
  },
  { id: 'settings-delete', method: 'GET', path: '/settings/delete', function: 'patient-pages' },
  { id: 'settings-delete-submit', method: 'POST', path: '/settings/delete', function: 'patient-pages' },
  { id: 'authorize', method: 'GET', path: '/authorize', function: 'patient-pages' },
  { id: 'authorize-submit', method: 'POST', path: '/authorize', function: 'patient-pages' },
  { id: 'authorize-continue', method: 'GET', path: '/authorize/continue', function: 'patient-pages' },
  { id: 'consent', method: 'GET', path: '/consent', function: 'patient-pages' },
  { id: 'consent-submit', method: 'POST', path: '/consent', function: 'patient-pages' },
  { id: 'prove-identity', method: 'GET', path: '/prove-who-you-are', function: 'patient-pages' },
  { id: 'prove-identity-return', method: 'POST', path: '/prove-who-you-are', function: 'patient-pages' },
  { id: 'token', method: 'POST', path: '/token', function: 'oidc-token' },
  { id: 'userinfo', method: 'GET', path: '/userinfo', function: 'oidc-userinfo' },
  { id: 'userinfo-submit', method: 'POST', path: '/userinfo', function: 'oidc-userinfo' },
  { id: 'userinfo-metadata', method: 'PATCH', path: '/userinfo', function: 'oidc-userinfo' },
  { id: 'static-asset', method: 'GET', path: '/assets/{path+}', function: 'static-assets' },
] as const satisfies readonly RouteSpec[];

export type Route = (typeof routes)[number];
export type RouteId = Route['id'];
/** The ids of the routes a function serves: its handler must answer each of them. */
export type RouteIdOf<F extends FunctionName> = Extract<Route, { function: F }>['id'];

/** The path of a route by its id. */
export const routePath = (id: RouteId): string => {
  const route: RouteSpec | undefined = routes.find((candidate) => candidate.id === id);
  if (!route) throw new Error(`The route table has no route ${id}`);
  return route.path;
};

/** The API Gateway route key (`GET /path`), which is also what Lambda sees as `event.routeKey`. */
export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
