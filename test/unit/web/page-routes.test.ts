import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/domain/invalid-input-error.ts';
import { resolveLimits } from '../../../src/domain/limits/limits.ts';
import type { BrowserSession, SessionStore } from '../../../src/domain/sessions/browser-session.ts';
import { Sessions } from '../../../src/domain/sessions/sessions.ts';
import type { HttpEvent, HttpResponse } from '../../../src/platform/http/http-types.ts';
import { createPageRoutes, type PageDefinition } from '../../../src/web/page-routes.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

/** Sessions kept in memory, and a renderer that shows what a view was given: the unit is the page machinery. */
const setup = () => {
  const items = new Map<string, BrowserSession>();
  const store: SessionStore = {
    find: async (idHash) => items.get(idHash),
    save: async (idHash, session) => void items.set(idHash, session),
    replace: async (oldIdHash, idHash, session) => {
      if (oldIdHash) items.delete(oldIdHash);
      items.set(idHash, session);
    },
    delete: async (idHash) => void items.delete(idHash),
    deleteForAccount: async () => {},
    deleteForDevice: async () => {},
    deleteForPasskey: async () => {},
  };
  const sessions = new Sessions({
    store,
    clock: () => NOW,
    timeouts: { idleSeconds: 1800, absoluteSeconds: 43_200, touchIntervalSeconds: 60 },
  });
  const { page } = createPageRoutes({
    sessions,
    // Only a form view puts the CSRF token in its page, as the real views do.
    renderer: {
      render: (view, data) => ({
        html: JSON.stringify({
          view,
          data: view.includes('form') ? data : { ...data, csrfToken: undefined },
        }),
        nonce: 'n',
      }),
    },
    secureCookies: true,
    clientAddressSource: 'connection',
    clock: () => NOW,
    limits: resolveLimits(),
  });
  const call = (definition: PageDefinition, event: Partial<HttpEvent> & { method?: string }) =>
    page(definition).handle({
      query: {},
      body: event.body,
      context: {} as never,
      event: {
        headers: {},
        cookies: [],
        ...event,
        requestContext: { http: { method: event.method ?? 'GET', sourceIp: '192.0.2.1' } } as never,
      } as HttpEvent,
    });
  return { call, items };
};

const sessionCookieOf = (response: HttpResponse) =>
  response.cookies?.find((cookie) => cookie.startsWith('__Host-session='))?.split(';')[0];
const shown = (response: HttpResponse) =>
  JSON.parse(response.body ?? '{}') as { view: string; data: Record<string, unknown> };

const form: PageDefinition = {
  formView: 'pages/form.njk',
  secretFields: ['password'],
  handle: async ({ form: values }) => {
    if (values.password !== 'right')
      throw new InvalidInputError([{ field: 'password', message: 'Wrong password' }]);
    return {
      redirect: '/done',
      session: { kind: 'renew', session: { createdAt: 0, lastSeenAt: 0, csrfToken: '', journey: {} } },
    };
  },
};
const formPage: PageDefinition = { handle: async () => ({ view: 'pages/form.njk' }) };

/** A browser that has seen the form: its session cookie and the CSRF token the form carried. */
const withForm = async (call: ReturnType<typeof setup>['call']) => {
  const response = await call(formPage, {});
  return { cookie: sessionCookieOf(response) as string, csrfToken: shown(response).data.csrfToken as string };
};

describe('page routes', () => {
  it('refuses a form post without the session’s CSRF token, with the session-ended page', async () => {
    // Prepare
    const { call } = setup();
    const { cookie } = await withForm(call);

    // Act
    const posted = call(form, {
      method: 'POST',
      cookies: [cookie],
      body: { password: 'right', csrfToken: 'forged' } as never,
    });

    // Assess
    await expect(posted).rejects.toMatchObject({ problem: 'session-expired' });
  });

  it('shows a form again with its problems and the values given, never the secret ones', async () => {
    // Prepare
    const { call } = setup();
    const { cookie, csrfToken } = await withForm(call);

    // Act
    const response = await call(form, {
      method: 'POST',
      cookies: [cookie],
      body: { email: 'pat@example.com', password: 'wrong', csrfToken } as never,
    });

    // Assess
    expect(response.statusCode).toBe(400);
    const { view, data } = shown(response);
    expect(view).toBe('pages/form.njk');
    expect(data.values).toEqual({ email: 'pat@example.com' });
    expect(data.errors).toEqual([{ text: 'Wrong password', href: '#password' }]);
  });

  it('moves the session to a new id and a new CSRF token when a page renews it, and forgets the old id', async () => {
    // Prepare
    const { call, items } = setup();
    const { cookie, csrfToken } = await withForm(call);

    // Act
    const response = await call(form, {
      method: 'POST',
      cookies: [cookie],
      body: { password: 'right', csrfToken } as never,
    });

    // Assess
    const renewed = sessionCookieOf(response);
    expect(response.statusCode).toBe(303);
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(cookie);
    expect(items.size).toBe(1);
    expect([...items.values()][0]?.csrfToken).not.toBe(csrfToken);
    const oldAgain = await call(formPage, { cookies: [cookie] });
    expect(sessionCookieOf(oldAgain)).not.toBe(cookie);
  });

  it('stores no session for a visit without a cookie to a page with no form', async () => {
    // Prepare
    const { call, items } = setup();

    // Act
    const response = await call({ handle: async () => ({ view: 'pages/plain.njk' }) }, {});

    // Assess
    expect(response.statusCode).toBe(200);
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(items.size).toBe(0);
  });
});
