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
  /** Signing PDS token requests with the PDS key: the identity-verification function alone. */
  | 'pds-key:sign'
  /** Encrypt with the GP credentials key: seal GP integration credentials, never open them. */
  | 'gp-credentials:seal'
  /** Decrypt with the GP credentials key: only where the credentials are released (userinfo). */
  | 'gp-credentials:open'
  | 'email:send'
  | 'sms:send'
  /** Sign upload forms for photo-ID media (s3:PutObject on the check media, with the bucket key). */
  | 'media:upload'
  /** Read photo-ID media: the workflow's checks of the uploads. */
  | 'media:read'
  /** Read the reviewed copies only (what the workflow checked): the review console's short-lived downloads. */
  | 'media:read-reviewed'
  /** Copy a checked upload to its reviewed key, which no upload form can write. */
  | 'media:keep'
  /** Delete photo-ID media once the decision is made. */
  | 'media:delete'
  /** Compare faces with Amazon Rekognition (CompareFaces, which names no resource: allowed on "*"). */
  | 'face-comparison:compare'
  /** Read a document's text with Amazon Textract (DetectDocumentText, which names no resource: allowed on "*"). */
  | 'document-text:detect'
  /** Start the photo-ID check's workflow for a submission. */
  | 'photo-id-workflow:start'
  /** Resume a photo-ID check's wait with a reviewer's decision (SendTaskSuccess only): the review console alone. */
  | 'photo-id-review:decide'
  /** Decrypt staff authenticator secrets with the staff secrets key: the review console alone. */
  | 'staff-secrets:open'
  /** Encrypt an authenticator app's secret (where one is set up: settings, and a first login without a phone). */
  | 'app-secrets:seal'
  /** Decrypt an authenticator app's secret: where its codes are checked (login, recovery, settings). */
  | 'app-secrets:open';

/** Files a function reads at run time, which the bundle must carry beside its code. */
export type BundledFiles = 'views' | 'assets' | 'common-passwords';

export interface FunctionSpec {
  readonly description: string;
  /** Invoked by the photo-ID check's state machine, not by the HTTP API: it has no route. */
  readonly invokedBy?: 'photo-id-workflow';
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
  'registration-pages': {
    description: 'The start page, terms and help, creating an account and confirming its email address',
    permissions: ['table:write', 'email:send'],
    memoryMb: 1024,
    bundledFiles: ['views', 'common-passwords'],
  },
  'login-pages': {
    description: 'Logging in: the password, a first mobile number, the security code, a remembered device',
    permissions: ['table:write', 'email:send', 'sms:send', 'app-secrets:seal', 'app-secrets:open'],
    memoryMb: 1024,
    bundledFiles: ['views'],
  },
  'recovery-pages': {
    description:
      'A forgotten password and an unlock: the emailed link, the code to the phone, a new password',
    permissions: ['table:write', 'email:send', 'sms:send', 'app-secrets:open'],
    memoryMb: 1024,
    bundledFiles: ['views', 'common-passwords'],
  },
  'settings-pages': {
    description:
      'Login and security settings: email, password, phone, passkeys, devices, deleting the account',
    permissions: ['table:write', 'email:send', 'sms:send', 'app-secrets:seal', 'app-secrets:open'],
    memoryMb: 1024,
    bundledFiles: ['views', 'common-passwords'],
  },
  'authorize-pages': {
    description: 'The authorization endpoint and the consent page of a relying party request',
    permissions: ['table:write'],
    memoryMb: 512,
    bundledFiles: ['views'],
  },
  'logout-pages': {
    description: 'Logging out, and the end-session endpoint of relying parties',
    permissions: ['table:write', 'signing-key:read-public'],
    bundledFiles: ['views'],
  },
  'identity-pages': {
    description:
      'Proving who you are: the details check against PDS (P5), GP online-services details (P9), photo ID and video (P9, the patient’s side), the duplicate-account journey, and the NHS number check at login',
    permissions: [
      'table:write',
      'pds-key:sign',
      'gp-credentials:seal',
      'email:send',
      'media:upload',
      'photo-id-workflow:start',
    ],
    bundledFiles: ['views'],
  },
  'oidc-token': {
    description: 'The token endpoint: authorization codes and refresh tokens for ID and access tokens',
    permissions: ['table:write', 'signing-key:sign'],
    memoryMb: 512,
  },
  'oidc-userinfo': {
    description: 'The UserInfo endpoint: the claims an access token may see, and client user metadata',
    permissions: ['table:write', 'signing-key:read-public', 'gp-credentials:open'],
  },
  'photo-id-intake': {
    description:
      'Photo-ID check workflow: checks the uploaded photo and video, and matches the entered details against PDS',
    permissions: ['table:write', 'media:read', 'media:keep', 'pds-key:sign'],
    invokedBy: 'photo-id-workflow',
  },
  'photo-id-checks': {
    description:
      'Photo-ID check workflow: the automated checks for the reviewer (the face against the ID photo, the ID’s text and machine-readable zone, expiry, age)',
    permissions: ['table:write', 'media:read-reviewed', 'face-comparison:compare', 'document-text:detect'],
    memoryMb: 512,
    invokedBy: 'photo-id-workflow',
  },
  'photo-id-review': {
    description:
      'Photo-ID check workflow: the review queue, the wait for a decision and its escalation, the decision (P9 through the uplift), failures',
    permissions: ['table:write', 'pds-key:sign'],
    invokedBy: 'photo-id-workflow',
  },
  'photo-id-outcome': {
    description: 'Photo-ID check workflow: the outcome and taking-longer emails',
    permissions: ['table:write', 'email:send'],
    invokedBy: 'photo-id-workflow',
  },
  'photo-id-media': {
    description: 'Photo-ID check workflow: deletes the media once the decision is made',
    permissions: ['table:write', 'media:delete'],
    invokedBy: 'photo-id-workflow',
  },
  'static-assets': {
    description: 'The NHS design system styles, scripts and images the pages use',
    permissions: [],
    bundledFiles: ['assets'],
  },
  'not-found-pages': {
    description:
      'Requests no route takes: the page-not-found page (CID0404), 405 with Allow, redirects to the canonical address',
    permissions: [],
    bundledFiles: ['views'],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functionSpecs;

/** The functions the photo-ID check's state machine invokes (no route reaches them). */
export type WorkflowFunctionName = {
  [Name in FunctionName]: (typeof functionSpecs)[Name] extends { invokedBy: string } ? Name : never;
}[FunctionName];
/** The functions behind the HTTP API. */
export type HttpFunctionName = Exclude<FunctionName, WorkflowFunctionName>;

export const workflowFunctionNames = (Object.keys(functionSpecs) as FunctionName[]).filter(
  (name): name is WorkflowFunctionName => (functionSpecs[name] as FunctionSpec).invokedBy !== undefined,
);

/** The functions that serve the hosted pages (they carry the views). */
export const pageFunctionNames = (Object.keys(functionSpecs) as FunctionName[]).filter((name) =>
  (functionSpecs[name] as FunctionSpec).bundledFiles?.includes('views'),
);

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Browser features a page may ask for; the Permissions-Policy header disables every other one. */
export type BrowserFeature =
  | 'camera'
  | 'microphone'
  | 'publickey-credentials-get'
  | 'publickey-credentials-create';

export interface RouteSpec<F extends string = HttpFunctionName> {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` for a path parameter. */
  readonly path: string;
  readonly function: F;
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
  { id: 'start', method: 'GET', path: '/', function: 'registration-pages' },
  { id: 'terms-of-use', method: 'GET', path: '/terms-of-use', function: 'registration-pages' },
  { id: 'contact', method: 'GET', path: '/contact', function: 'registration-pages' },
  { id: 'register', method: 'GET', path: '/register', function: 'registration-pages' },
  { id: 'register-submit', method: 'POST', path: '/register', function: 'registration-pages' },
  {
    id: 'register-check-email',
    method: 'GET',
    path: '/register/check-email',
    function: 'registration-pages',
  },
  {
    id: 'register-resend',
    method: 'POST',
    path: '/register/check-email',
    function: 'registration-pages',
  },
  { id: 'register-confirm', method: 'GET', path: '/register/confirm', function: 'registration-pages' },
  {
    id: 'register-confirm-submit',
    method: 'POST',
    path: '/register/confirm',
    function: 'registration-pages',
  },
  {
    id: 'login',
    method: 'GET',
    path: '/login',
    function: 'login-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'login-submit',
    method: 'POST',
    path: '/login',
    function: 'login-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'login-passkey',
    method: 'GET',
    path: '/login/passkey',
    function: 'login-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'login-passkey-submit',
    method: 'POST',
    path: '/login/passkey',
    function: 'login-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  { id: 'add-phone', method: 'GET', path: '/login/phone', function: 'login-pages' },
  { id: 'add-phone-submit', method: 'POST', path: '/login/phone', function: 'login-pages' },
  { id: 'login-app', method: 'GET', path: '/login/authenticator-app', function: 'login-pages' },
  { id: 'login-app-submit', method: 'POST', path: '/login/authenticator-app', function: 'login-pages' },
  { id: 'enter-code', method: 'GET', path: '/login/code', function: 'login-pages' },
  { id: 'enter-code-submit', method: 'POST', path: '/login/code', function: 'login-pages' },
  { id: 'code-resend', method: 'POST', path: '/login/code/resend', function: 'login-pages' },
  { id: 'code-by-email', method: 'POST', path: '/login/code/email', function: 'login-pages' },
  { id: 'logged-in', method: 'GET', path: '/login/done', function: 'login-pages' },
  { id: 'logout', method: 'POST', path: '/logout', function: 'logout-pages' },
  { id: 'end-session', method: 'GET', path: '/end-session', function: 'logout-pages' },
  { id: 'end-session-submit', method: 'POST', path: '/end-session', function: 'logout-pages' },
  { id: 'password-forgotten', method: 'GET', path: '/password/forgotten', function: 'recovery-pages' },
  {
    id: 'password-forgotten-submit',
    method: 'POST',
    path: '/password/forgotten',
    function: 'recovery-pages',
  },
  { id: 'password-reset-sent', method: 'GET', path: '/password/forgotten/sent', function: 'recovery-pages' },
  { id: 'password-reset', method: 'GET', path: '/password/reset', function: 'recovery-pages' },
  { id: 'password-reset-submit', method: 'POST', path: '/password/reset', function: 'recovery-pages' },
  {
    id: 'password-reset-code',
    method: 'GET',
    path: '/password/reset/code',
    function: 'recovery-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'password-reset-code-submit',
    method: 'POST',
    path: '/password/reset/code',
    function: 'recovery-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'password-reset-passkey',
    method: 'POST',
    path: '/password/reset/passkey',
    function: 'recovery-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'password-reset-code-resend',
    method: 'POST',
    path: '/password/reset/code/resend',
    function: 'recovery-pages',
  },
  { id: 'password-reset-new', method: 'GET', path: '/password/reset/new', function: 'recovery-pages' },
  {
    id: 'password-reset-new-submit',
    method: 'POST',
    path: '/password/reset/new',
    function: 'recovery-pages',
  },
  { id: 'password-reset-done', method: 'GET', path: '/password/reset/done', function: 'recovery-pages' },
  { id: 'unlock', method: 'GET', path: '/login/unlock', function: 'recovery-pages' },
  { id: 'unlock-submit', method: 'POST', path: '/login/unlock', function: 'recovery-pages' },
  { id: 'unlock-sent', method: 'GET', path: '/login/unlock/sent', function: 'recovery-pages' },
  { id: 'unlock-confirm', method: 'GET', path: '/login/unlock/confirm', function: 'recovery-pages' },
  { id: 'unlock-confirm-submit', method: 'POST', path: '/login/unlock/confirm', function: 'recovery-pages' },
  {
    id: 'unlock-code',
    method: 'GET',
    path: '/login/unlock/code',
    function: 'recovery-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'unlock-code-submit',
    method: 'POST',
    path: '/login/unlock/code',
    function: 'recovery-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'unlock-passkey',
    method: 'POST',
    path: '/login/unlock/passkey',
    function: 'recovery-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  { id: 'unlock-code-resend', method: 'POST', path: '/login/unlock/code/resend', function: 'recovery-pages' },
  { id: 'unlock-done', method: 'GET', path: '/login/unlock/done', function: 'recovery-pages' },
  { id: 'lost-phone', method: 'GET', path: '/lost-phone', function: 'recovery-pages' },
  { id: 'settings', method: 'GET', path: '/settings', function: 'settings-pages' },
  { id: 'settings-passkeys', method: 'GET', path: '/settings/passkeys', function: 'settings-pages' },
  {
    id: 'settings-passkey-set-up',
    method: 'GET',
    path: '/settings/passkeys/set-up',
    function: 'settings-pages',
    browserFeatures: ['publickey-credentials-create'],
  },
  {
    id: 'settings-passkey-set-up-submit',
    method: 'POST',
    path: '/settings/passkeys/set-up',
    function: 'settings-pages',
    browserFeatures: ['publickey-credentials-create'],
  },
  { id: 'settings-passkey-name', method: 'GET', path: '/settings/passkeys/name', function: 'settings-pages' },
  {
    id: 'settings-passkey-name-submit',
    method: 'POST',
    path: '/settings/passkeys/name',
    function: 'settings-pages',
  },
  { id: 'settings-app', method: 'GET', path: '/settings/authenticator-app', function: 'settings-pages' },
  {
    id: 'settings-app-set-up',
    method: 'GET',
    path: '/settings/authenticator-app/set-up',
    function: 'settings-pages',
  },
  {
    id: 'settings-app-set-up-submit',
    method: 'POST',
    path: '/settings/authenticator-app/set-up',
    function: 'settings-pages',
  },
  {
    id: 'settings-app-remove',
    method: 'POST',
    path: '/settings/authenticator-app/remove',
    function: 'settings-pages',
  },
  {
    id: 'settings-passkey-remove',
    method: 'POST',
    path: '/settings/passkeys/remove',
    function: 'settings-pages',
  },
  { id: 'settings-email', method: 'GET', path: '/settings/email', function: 'settings-pages' },
  { id: 'settings-email-submit', method: 'POST', path: '/settings/email', function: 'settings-pages' },
  { id: 'settings-email-sent', method: 'GET', path: '/settings/email/sent', function: 'settings-pages' },
  {
    id: 'settings-email-confirm',
    method: 'GET',
    path: '/settings/email/confirm',
    function: 'settings-pages',
  },
  {
    id: 'settings-email-confirm-submit',
    method: 'POST',
    path: '/settings/email/confirm',
    function: 'settings-pages',
  },
  { id: 'settings-email-report', method: 'GET', path: '/settings/email/report', function: 'settings-pages' },
  {
    id: 'settings-email-report-submit',
    method: 'POST',
    path: '/settings/email/report',
    function: 'settings-pages',
  },
  {
    id: 'settings-email-report-code',
    method: 'GET',
    path: '/settings/email/report/code',
    function: 'settings-pages',
  },
  {
    id: 'settings-email-report-code-submit',
    method: 'POST',
    path: '/settings/email/report/code',
    function: 'settings-pages',
  },
  {
    id: 'settings-email-report-code-resend',
    method: 'POST',
    path: '/settings/email/report/code/resend',
    function: 'settings-pages',
  },
  {
    id: 'settings-reauthenticate',
    method: 'GET',
    path: '/settings/confirm-it-is-you',
    function: 'settings-pages',
  },
  {
    id: 'settings-reauthenticate-submit',
    method: 'POST',
    path: '/settings/confirm-it-is-you',
    function: 'settings-pages',
  },
  {
    id: 'settings-reauthenticate-code',
    method: 'GET',
    path: '/settings/confirm-it-is-you/code',
    function: 'settings-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'settings-reauthenticate-passkey',
    method: 'POST',
    path: '/settings/confirm-it-is-you/passkey',
    function: 'settings-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'settings-reauthenticate-code-submit',
    method: 'POST',
    path: '/settings/confirm-it-is-you/code',
    function: 'settings-pages',
    browserFeatures: ['publickey-credentials-get'],
  },
  {
    id: 'settings-reauthenticate-code-resend',
    method: 'POST',
    path: '/settings/confirm-it-is-you/code/resend',
    function: 'settings-pages',
  },
  {
    id: 'settings-reauthenticate-lost-phone',
    method: 'POST',
    path: '/settings/confirm-it-is-you/lost-phone',
    function: 'settings-pages',
  },
  { id: 'settings-password', method: 'GET', path: '/settings/password', function: 'settings-pages' },
  { id: 'settings-password-submit', method: 'POST', path: '/settings/password', function: 'settings-pages' },
  { id: 'settings-phone', method: 'GET', path: '/settings/phone', function: 'settings-pages' },
  { id: 'settings-phone-submit', method: 'POST', path: '/settings/phone', function: 'settings-pages' },
  { id: 'settings-phone-code', method: 'GET', path: '/settings/phone/code', function: 'settings-pages' },
  {
    id: 'settings-phone-code-submit',
    method: 'POST',
    path: '/settings/phone/code',
    function: 'settings-pages',
  },
  { id: 'settings-phone-cancel', method: 'GET', path: '/settings/phone/cancel', function: 'settings-pages' },
  {
    id: 'settings-phone-cancel-submit',
    method: 'POST',
    path: '/settings/phone/cancel',
    function: 'settings-pages',
  },
  {
    id: 'settings-phone-code-resend',
    method: 'POST',
    path: '/settings/phone/code/resend',
    function: 'settings-pages',
  },
  {
    id: 'settings-device-remove',
    method: 'POST',
    path: '/settings/devices/remove',
    function: 'settings-pages',
  },
  { id: 'settings-delete', method: 'GET', path: '/settings/delete', function: 'settings-pages' },
  { id: 'settings-delete-submit', method: 'POST', path: '/settings/delete', function: 'settings-pages' },
  { id: 'authorize', method: 'GET', path: '/authorize', function: 'authorize-pages' },
  { id: 'authorize-submit', method: 'POST', path: '/authorize', function: 'authorize-pages' },
  { id: 'authorize-continue', method: 'GET', path: '/authorize/continue', function: 'authorize-pages' },
  { id: 'consent', method: 'GET', path: '/consent', function: 'authorize-pages' },
  { id: 'consent-submit', method: 'POST', path: '/consent', function: 'authorize-pages' },
  { id: 'prove-identity', method: 'GET', path: '/prove-who-you-are', function: 'identity-pages' },
  { id: 'prove-identity-return', method: 'POST', path: '/prove-who-you-are', function: 'identity-pages' },
  {
    id: 'nhs-number-check',
    method: 'GET',
    path: '/prove-who-you-are/nhs-number-check',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-details',
    method: 'GET',
    path: '/prove-who-you-are/check-your-details',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-details-submit',
    method: 'POST',
    path: '/prove-who-you-are/check-your-details',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-gp',
    method: 'GET',
    path: '/prove-who-you-are/gp-online-services',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-gp-submit',
    method: 'POST',
    path: '/prove-who-you-are/gp-online-services',
    function: 'identity-pages',
  },
  {
    id: 'existing-account',
    method: 'GET',
    path: '/prove-who-you-are/existing-account',
    function: 'identity-pages',
  },
  {
    id: 'existing-account-submit',
    method: 'POST',
    path: '/prove-who-you-are/existing-account',
    function: 'identity-pages',
  },
  {
    id: 'replace-account',
    method: 'POST',
    path: '/prove-who-you-are/existing-account/replace',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-photo-id',
    method: 'GET',
    path: '/prove-who-you-are/photo-id',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-photo-id-submit',
    method: 'POST',
    path: '/prove-who-you-are/photo-id',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-photo-id-photo',
    method: 'GET',
    path: '/prove-who-you-are/photo-id/photo',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-photo-id-photo-uploaded',
    method: 'GET',
    path: '/prove-who-you-are/photo-id/photo/uploaded',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-photo-id-video',
    method: 'GET',
    path: '/prove-who-you-are/photo-id/video',
    function: 'identity-pages',
    browserFeatures: ['camera', 'microphone'],
  },
  {
    id: 'prove-identity-photo-id-video-submit',
    method: 'POST',
    path: '/prove-who-you-are/photo-id/video',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-photo-id-details',
    method: 'GET',
    path: '/prove-who-you-are/photo-id/your-details',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-photo-id-details-submit',
    method: 'POST',
    path: '/prove-who-you-are/photo-id/your-details',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-photo-id-check',
    method: 'GET',
    path: '/prove-who-you-are/photo-id/check-your-answers',
    function: 'identity-pages',
  },
  {
    id: 'prove-identity-photo-id-check-submit',
    method: 'POST',
    path: '/prove-who-you-are/photo-id/check-your-answers',
    function: 'identity-pages',
  },
  { id: 'token', method: 'POST', path: '/token', function: 'oidc-token' },
  { id: 'userinfo', method: 'GET', path: '/userinfo', function: 'oidc-userinfo' },
  { id: 'userinfo-submit', method: 'POST', path: '/userinfo', function: 'oidc-userinfo' },
  { id: 'userinfo-metadata', method: 'PATCH', path: '/userinfo', function: 'oidc-userinfo' },
  { id: 'static-asset', method: 'GET', path: '/assets/{path+}', function: 'static-assets' },
] as const satisfies readonly RouteSpec[];

/**
 * The route for every request no route of the table takes (API Gateway's `$default`, and the dev
 * server's fallback): its function answers with a page, never API Gateway's own JSON.
 */
export const defaultRoute = { routeKey: '$default', function: 'not-found-pages' } as const satisfies {
  readonly routeKey: string;
  readonly function: HttpFunctionName;
};

export type Route = (typeof routes)[number];
export type RouteId = Route['id'];
/** The ids of the routes a function serves: its handler must answer each of them. */
export type RouteIdOf<F extends HttpFunctionName> = Extract<Route, { function: F }>['id'];

/** The path of a route by its id. */
export const routePath = (id: RouteId): string => {
  const route: RouteSpec | undefined = routes.find((candidate) => candidate.id === id);
  if (!route) throw new Error(`The route table has no route ${id}`);
  return route.path;
};

/**
 * The URL of a page by its route id, with a query string from `query` (undefined values left
 * out): the one place paths are written, so pages, templates and emails never type one.
 */
/**
 * Whether a route is a page a patient can be sent back to by its id alone (after a login): a GET
 * with no path parameter, so `urlFor(id)` gives back the page itself.
 */
export const isReturnablePage = (route: Pick<RouteSpec, 'method' | 'path'>): boolean =>
  route.method === 'GET' && !route.path.includes('{');

export const urlFor = (id: RouteId, query: Readonly<Record<string, string | undefined>> = {}): string => {
  const path = routePath(id);
  if (path.includes('{')) throw new Error(`The route ${id} has path parameters: urlFor cannot fill them`);
  const search = new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
  return search ? `${path}?${search}` : path;
};

/** The API Gateway route key (`GET /path`), which is also what Lambda sees as `event.routeKey`. */
export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
