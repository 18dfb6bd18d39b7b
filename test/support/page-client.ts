import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalOutbox } from '../../src/adapters/local/outbox.ts';
import type { LimitOverrides } from '../../src/domain/limits/limits.ts';
import { createDevServer } from '../../src/local/dev-server.ts';
import { createLocalHandlers } from '../../src/local/local-handlers.ts';
import { createLocalDependencies } from './local-dependencies.ts';
import { startPdsSandbox } from './pds-sandbox-server.ts';

export interface PageResponse {
  readonly status: number;
  readonly location: string | null;
  readonly html: string;
  readonly setCookies: string[];
}

/** A settable clock, so tests can move time past expiries and windows. */
export const movableClock = (start = new Date('2026-11-22T10:00:00Z')) => {
  let now = start.getTime();
  const clock = () => new Date(now);
  return Object.assign(clock, { advance: (seconds: number) => (now += seconds * 1000) });
};

/**
 * A cookie-keeping HTTP client for the hosted pages on a real dev server (real handlers, real
 * DynamoDB Local), which fills in each form's CSRF token as a browser would.
 */
export class PageClient {
  readonly #baseUrl: string;
  readonly #localAddress: string | undefined;
  readonly cookies = new Map<string, string>();
  #csrfToken = '';
  #interaction = '';

  /**
   * `localAddress` connects from another loopback address (127.0.0.2, ...), so the server sees
   * the client on another network, as a patient and an attacker elsewhere would be.
   */
  constructor(baseUrl: string, options: { localAddress?: string } = {}) {
    this.#baseUrl = baseUrl;
    this.#localAddress = options.localAddress;
  }

  /** `headers` are sent besides the browser-like ones: what a client could add (spoofed addresses). */
  async get(path: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.#request('GET', path, undefined, headers);
  }

  /**
   * Posts a form with the CSRF token of the last page seen (unless the fields name one) and, as a
   * browser does, follows a 303 with a GET; the response is the post's own, with the page after it.
   */
  async post(
    path: string,
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): Promise<PageResponse & { next?: PageResponse }> {
    const body = new URLSearchParams({
      csrfToken: this.#csrfToken,
      ...(this.#interaction ? { interaction: this.#interaction } : {}),
      ...fields,
    }).toString();
    const response = await this.#request('POST', path, body, headers);
    // Only our own pages are followed: a redirect to a relying party is where a test looks.
    if (response.status !== 303 || !response.location?.startsWith('/')) return response;
    return { ...response, next: await this.get(response.location, headers) };
  }

  /** Opens a link from an email as a patient does: the page, then its confirm button when it has one. */
  async openLink(link: string): Promise<PageResponse> {
    const page = await this.get(link);
    const form = /<form method="post" action="([^"]+)"[^>]*>[\s\S]*?name="token" value="([^"]*)"/.exec(
      page.html,
    );
    if (!form?.[1]) return page;
    const confirmed = await this.post(form[1], { token: form[2] ?? '' });
    return confirmed.next ?? confirmed;
  }

  async #request(
    method: string,
    path: string,
    body?: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<PageResponse> {
    const response = await send(`${this.#baseUrl}${path}`, {
      method,
      localAddress: this.#localAddress,
      headers: {
        ...extraHeaders,
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    const setCookies = response.setCookies;
    for (const cookie of setCookies) {
      const [pair = '', ...attributes] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (attributes.some((attribute) => attribute.trim() === 'Max-Age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = response.body;
    const token = /name="csrfToken" value="([^"]+)"/.exec(html)?.[1];
    if (token) {
      this.#csrfToken = token;
      // A form's hidden interaction id goes with it, as a browser sends it (none on a form without one).
      this.#interaction = /name="interaction" value="([^"]+)"/.exec(html)?.[1] ?? '';
    }
    return { status: response.status, location: response.location, html, setCookies };
  }
}

/** One HTTP request with node:http, which (unlike fetch) can choose the local address. */
const send = (
  url: string,
  options: {
    method: string;
    headers: Record<string, string>;
    body: string | undefined;
    localAddress: string | undefined;
  },
): Promise<{ status: number; location: string | null; setCookies: string[]; body: string }> =>
  new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: options.method,
        headers: {
          ...options.headers,
          ...(options.body ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
        },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            location: incoming.headers.location ?? null,
            setCookies: incoming.headers['set-cookie'] ?? [],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });

/** Text of the page's h1, or of its error summary items, for assertions. */
export const headingOf = (html: string): string | undefined =>
  /<h1[^>]*>\s*([^<]*?)\s*<\/h1>/.exec(html)?.[1];
export const errorsOf = (html: string): string[] =>
  [...html.matchAll(/<span class="nhsuk-u-visually-hidden">Error: <\/span>([^<]*?)\s*<\/span>/g)].map((m) =>
    (m[1] ?? '').trim(),
  );

/** Starts the dev server on a fresh table and outbox; returns a client factory and the outbox. */
export const startPages = async (
  options: { clock?: ReturnType<typeof movableClock>; limits?: LimitOverrides; contactUrl?: string } = {},
) => {
  const base = await createLocalDependencies({
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const pds = await startPdsSandbox(base.clock);
  const dependencies = {
    ...base,
    contactUrl: options.contactUrl,
    demographics: pds.demographics,
    gp: pds.gp,
  };
  const server = createDevServer({ handlers: createLocalHandlers(dependencies) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    outbox: dependencies.outbox as LocalOutbox,
    dependencies,
    client: (options: { localAddress?: string } = {}) => new PageClient(baseUrl, options),
    /** The PDS sandbox behind the pages: change a test patient between two requests. */
    pds: pds.sandbox,
    /** The GP sandbox behind the pages, on the same test patients. */
    gp: pds.gpSandbox,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pds.stop();
    },
  };
};

export const linkIn = (text: string, path: string): string => {
  const match = new RegExp(`https?://[^\\s"]+${path.replace('/', '\\/')}\\?token=[A-Za-z0-9_-]+`).exec(text);
  if (!match) throw new Error(`No ${path} link in the message`);
  return new URL(match[0]).pathname + new URL(match[0]).search;
};

export const codeIn = (text: string): string => {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match?.[1]) throw new Error('No code in the message');
  return match[1];
};

type Outbox = Pick<LocalOutbox, 'latest'>;

/** Creates an account through the pages, as a patient does: the form, then the emailed link. */
export const createAccount = async (client: PageClient, outbox: Outbox, email: string, password: string) => {
  await client.get('/register');
  await client.post('/register', { email, password, terms: 'accepted' });
  await client.openLink(linkIn(outbox.latest({ kind: 'confirm-email' })?.text ?? '', '/register/confirm'));
};

/** A first login: the password, a first mobile number, then the code texted to it. */
export const firstLogin = async (
  client: PageClient,
  outbox: Outbox,
  patient: { email: string; password: string; phoneNumber: string; remember?: boolean },
) => {
  await client.get('/login');
  await client.post('/login', { email: patient.email, password: patient.password });
  await client.post('/login/phone', { phoneNumber: patient.phoneNumber });
  const code = codeIn(outbox.latest({ kind: 'security-code' })?.text ?? '');
  return client.post('/login/code', { code, ...(patient.remember ? { remember: 'yes' } : {}) });
};

/**
 * The recent re-authentication gate in settings, passed as a patient does: the password again,
 * then the code texted to the phone on the account, or "I do not have this phone any more".
 */
export const confirmItIsYou = async (
  client: PageClient,
  outbox: Outbox,
  password: string,
  options: { lostPhone?: boolean; target?: string } = {},
) => {
  await client.get(`/settings/confirm-it-is-you?for=${options.target ?? 'phone'}`);
  await client.post('/settings/confirm-it-is-you', { password });
  if (options.lostPhone) return client.post('/settings/confirm-it-is-you/lost-phone');
  const code = codeIn(outbox.latest({ kind: 'security-code' })?.text ?? '');
  return client.post('/settings/confirm-it-is-you/code', { code });
};
