/**
 * The demo relying party `npm start` runs on its own port: the example a service team copies. It
 * logs patients in with openid-client, private_key_jwt (RS512) and PKCE, then shows the validated
 * ID token claims and the userinfo response. Sessions are in memory: it is a demo, not a pattern
 * for keeping tokens.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { importPKCS8 } from 'jose';
import * as oidc from 'openid-client';
import { listenOn } from './free-port.ts';

export interface DemoRelyingPartyOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly privateKeyPath: string;
  readonly port: number;
  readonly host: string;
}

/** The vectors of trust the demo offers: one proofing level each, with a password and a code. */
const vectors = { P0: '["P0.Cp.Cd"]', P5: '["P5.Cp.Cd"]', P9: '["P9.Cp.Cd"]' } as const;
const scopes = ['email', 'phone', 'profile'] as const;

interface PendingLogin {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const page = (issuer: string, title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - Demo GP service</title><link rel="stylesheet" href="${issuer}/assets/nhsuk-frontend.min.css"></head>
<body><div class="nhsuk-width-container"><main class="nhsuk-main-wrapper" id="maincontent">
<h1>${escapeHtml(title)}</h1>${body}</main></div></body></html>`;

const startForm = (issuer: string) =>
  page(
    issuer,
    'Demo GP service',
    `<p>This is the demo relying party. Choose what to ask for, then continue.</p>
<form method="post" action="/login">
  <fieldset class="nhsuk-fieldset"><legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Identity proofing level</legend>
  ${Object.keys(vectors)
    .map(
      (level, index) =>
        `<div><input type="radio" id="vtr-${level}" name="level" value="${level}"${index === 0 ? ' checked' : ''}> <label for="vtr-${level}">${level}</label></div>`,
    )
    .join('')}</fieldset>
  <fieldset class="nhsuk-fieldset"><legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Scopes (openid is always sent)</legend>
  ${scopes.map((scope) => `<div><input type="checkbox" id="scope-${scope}" name="scope" value="${scope}" checked> <label for="scope-${scope}">${scope}</label></div>`).join('')}</fieldset>
  <button class="nhsuk-button" type="submit">Continue with NHS login</button>
</form>`,
  );

/** Starts the demo relying party; resolves once it listens. */
export const startDemoRelyingParty = async (options: DemoRelyingPartyOptions): Promise<Server> => {
  const privateKey = await importPKCS8(await readFile(options.privateKeyPath, 'utf8'), 'RS512');
  const config = await oidc.discovery(
    new URL(options.issuer),
    options.clientId,
    { id_token_signed_response_alg: 'RS512' },
    oidc.PrivateKeyJwt(privateKey),
    { execute: [oidc.allowInsecureRequests] },
  );
  const redirectUri = `http://localhost:${options.port}/callback`;
  const pending = new Map<string, PendingLogin>();

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', redirectUri);
    const send = (status: number, html: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      response.end(html);
    };
    try {
      if (request.method === 'POST' && url.pathname === '/login') {
        const form = new URLSearchParams(
          await new Promise<string>((resolve) => {
            let body = '';
            request.on('data', (chunk) => (body += chunk));
            request.on('end', () => resolve(body));
          }),
        );
        const login = {
          verifier: oidc.randomPKCECodeVerifier(),
          state: oidc.randomState(),
          nonce: oidc.randomNonce(),
        };
        const id = randomUUID();
        pending.set(id, login);
        const level = (form.get('level') ?? 'P0') as keyof typeof vectors;
        const authorizationUrl = oidc.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: [
            'openid',
            ...form.getAll('scope').filter((scope) => (scopes as readonly string[]).includes(scope)),
          ].join(' '),
          vtr: vectors[level] ?? vectors.P0,
          state: login.state,
          nonce: login.nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(login.verifier),
          code_challenge_method: 'S256',
        });
        return send(303, '', {
          location: authorizationUrl.href,
          'set-cookie': `demo-login=${id}; Path=/; HttpOnly; SameSite=Lax`,
        });
      }
      if (url.pathname === '/callback') {
        const id = /demo-login=([\w-]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '';
        const login = pending.get(id);
        pending.delete(id);
        if (!login)
          return send(400, page(options.issuer, 'Start again', '<p><a href="/">Start again</a></p>'));
        if (url.searchParams.has('error')) {
          const error = `${url.searchParams.get('error')}: ${url.searchParams.get('error_description') ?? ''}`;
          return send(
            200,
            page(
              options.issuer,
              'Not logged in',
              `<p>The identity provider said: <code>${escapeHtml(error)}</code></p><p><a href="/">Start again</a></p>`,
            ),
          );
        }
        const tokens = await oidc.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: login.verifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        const userinfo = await oidc.fetchUserInfo(
          config,
          tokens.access_token,
          claims?.sub ?? oidc.skipSubjectCheck,
        );
        const logout = oidc.buildEndSessionUrl(config, {
          id_token_hint: tokens.id_token ?? '',
          post_logout_redirect_uri: `http://localhost:${options.port}/`,
        });
        return send(
          200,
          page(
            options.issuer,
            'You are logged in to the demo service',
            `<h2>ID token claims (validated)</h2><pre>${escapeHtml(JSON.stringify(claims, null, 2))}</pre>
<h2>UserInfo</h2><pre>${escapeHtml(JSON.stringify(userinfo, null, 2))}</pre>
<p><a href="${escapeHtml(logout.href)}">Log out</a></p>`,
          ),
        );
      }
      if (url.pathname === '/') return send(200, startForm(options.issuer));
      return send(404, page(options.issuer, 'Page not found', '<p><a href="/">Start again</a></p>'));
    } catch (error) {
      return send(
        500,
        page(
          options.issuer,
          'Something went wrong',
          `<p>${escapeHtml(String(error))}</p><p><a href="/">Start again</a></p>`,
        ),
      );
    }
  });
  await listenOn(server, {
    port: options.port,
    host: options.host,
    setting: 'DEMO_RP_PORT',
    what: 'the demo service',
  });
  return server;
};
