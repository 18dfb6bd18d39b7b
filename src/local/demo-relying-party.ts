/**
 * The demo relying party `npm start` runs on its own port: the example a service team copies. It
 * logs patients in with openid-client, private_key_jwt (RS512) and PKCE, then shows the validated
 * ID token claims and the userinfo response. Sessions are in memory: it is a demo, not a pattern
 * for keeping tokens.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { importPKCS8 } from 'jose';
import nunjucks from 'nunjucks';
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

/** The demo's own pages, with the NHS design system's macros (the templates are beside this file). */
const demoViews = fileURLToPath(new URL('./demo-views', import.meta.url));
const nhsukFrontend = fileURLToPath(new URL('../../node_modules/nhsuk-frontend/dist', import.meta.url));
const SERVICE_TITLE = 'Demo GP service';
const PROVIDER_NAME = 'NHS login';

const scopeLabels: Record<(typeof scopes)[number], string> = {
  email: 'email: the email address',
  phone: 'phone: the mobile phone number',
  profile: 'profile: NHS number, surname, date of birth (once the patient has proved who they are)',
};

/** What the callback says when the provider answered with an error instead of a code. */
const notLoggedIn = (error: string, description: string) => {
  if (error === 'access_denied' && description === 'ConsentNotGiven')
    return {
      title: 'You did not agree to share your information',
      paragraphs: [
        `You chose not to share your information from ${PROVIDER_NAME} with the demo service, so it cannot log you in.`,
        'If you change your mind, start again and choose to share it. Nothing has been shared.',
      ],
    };
  if (error === 'access_denied')
    return {
      title: 'You are not logged in',
      paragraphs: [
        'You did not finish logging in, or did not prove who you are to the level the demo service asked for.',
        'You can start again, or ask for a lower level.',
      ],
      detail: description,
    };
  return {
    title: 'You are not logged in',
    paragraphs: ['The demo service could not log you in.'],
    detail: description ? `${error}: ${description}` : error,
  };
};

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
  const home = `http://localhost:${options.port}/`;
  const pending = new Map<string, PendingLogin>();
  /** The state each logout was sent with: the home page says "You have logged out" when it comes back. */
  const logouts = new Set<string>();
  const views = new nunjucks.Environment(new nunjucks.FileSystemLoader([demoViews, nhsukFrontend]), {
    autoescape: true,
  });
  const render = (view: string, data: Record<string, unknown>) =>
    views.render(view, {
      issuer: options.issuer,
      serviceTitle: SERVICE_TITLE,
      providerName: PROVIDER_NAME,
      ...data,
    });
  const message = (title: string, paragraphs: string[]) => render('message.njk', { title, paragraphs });

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
        const level = (form.get('level') ?? 'P0') as keyof typeof vectors;
        const chosen = form.getAll('scope').filter((scope) => (scopes as readonly string[]).includes(scope));
        // Before a request that needs proving who you are, the patient is told it follows the login.
        if (level !== 'P0' && form.get('noted') !== 'yes')
          return send(
            200,
            render('prove-next.njk', { title: 'You will need to prove who you are', level, scopes: chosen }),
          );
        const login = {
          verifier: oidc.randomPKCECodeVerifier(),
          state: oidc.randomState(),
          nonce: oidc.randomNonce(),
        };
        const id = randomUUID();
        pending.set(id, login);
        const authorizationUrl = oidc.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: ['openid', ...chosen].join(' '),
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
          return send(
            400,
            message('Start again', ['This login was started in another browser, or has already finished.']),
          );
        const error = url.searchParams.get('error');
        if (error)
          return send(
            200,
            render('message.njk', notLoggedIn(error, url.searchParams.get('error_description') ?? '')),
          );
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
        const logoutState = oidc.randomState();
        logouts.add(logoutState);
        const logout = oidc.buildEndSessionUrl(config, {
          id_token_hint: tokens.id_token ?? '',
          post_logout_redirect_uri: home,
          state: logoutState,
        });
        return send(
          200,
          render('logged-in.njk', {
            title: 'You are logged in to the demo service',
            claims: JSON.stringify(claims, null, 2),
            userinfo: JSON.stringify(userinfo, null, 2),
            logoutHref: logout.href,
          }),
        );
      }
      if (url.pathname === '/') {
        const state = url.searchParams.get('state') ?? '';
        const loggedOut = logouts.delete(state);
        return send(
          200,
          render('start.njk', {
            title: SERVICE_TITLE,
            loggedOut,
            scopeItems: scopes.map((scope) => ({ value: scope, text: scopeLabels[scope], checked: true })),
          }),
        );
      }
      return send(404, message('Page not found', ['There is no such page in the demo service.']));
    } catch (error) {
      return send(500, message('Something went wrong', [String(error)]));
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
