import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { headingOf, startPages } from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;

/** One request with the path exactly as written (fetch would normalise it first). */
const raw = (baseUrl: string, method: string, path: string) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const outgoing = request(`${baseUrl}/`, { method, path }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });

describe('requests no route takes', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  it('shows the page-not-found page with CID0404 and the way to help, for any method', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const get = await raw(pages.baseUrl, 'GET', '/nowhere/at-all');
    const post = await raw(pages.baseUrl, 'POST', '/nowhere');

    // Assess
    for (const response of [get, post]) {
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(headingOf(response.body)).toBe('Page not found');
      expect(response.body).toContain('CID0404');
      expect(response.body).toContain('href="/contact?cid=CID0404"');
      expect(response.body).not.toContain('"message"');
    }
    expect(get.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it.each([
    ['/login/', '/login'],
    ['/Login', '/login'],
    ['/SETTINGS/', '/settings'],
    ['/register/check-email//', '/register/check-email'],
    ['/login/?prompt=x', '/login?prompt=x'],
  ])('redirects %s to its canonical address %s', async (path, location) => {
    // Prepare
    pages = await startPages();

    // Act
    const response = await raw(pages.baseUrl, 'GET', path);

    // Assess
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe(location);
  });

  it('answers a page asked for with a method it does not take with 405, Allow and a page', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const put = await raw(pages.baseUrl, 'PUT', '/login');
    const deleted = await raw(pages.baseUrl, 'DELETE', '/settings');

    // Assess
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST');
    expect(headingOf(put.body)).toBe('This page cannot be used that way');
    expect(put.body).toContain('href="/contact"');
    expect(deleted.headers.allow).toBe('GET');
  });

  it('answers an endpoint of the protocol asked for with another method with 405 and its JSON error', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const token = await raw(pages.baseUrl, 'GET', '/token');
    const discovery = await raw(pages.baseUrl, 'POST', '/.well-known/openid-configuration');

    // Assess
    expect(token.status).toBe(405);
    expect(token.headers.allow).toBe('POST');
    expect(JSON.parse(token.body)).toEqual({
      error: 'invalid_request',
      error_description: 'This endpoint accepts POST only.',
    });
    expect(discovery.headers.allow).toBe('GET');
  });

  it.each([
    ['a second host in the path', '//attacker.example/'],
    ['a second host with a login path', '//attacker.example/login/'],
    ['a backslash', '/\\attacker.example/'],
    ['dot segments', '/x/../login/'],
    ['an encoded slash', '/login%2F'],
    ['a broken escape', '/login/%E0%A4%A'],
  ])('never redirects out of the site or round the route table: %s', async (_case, path) => {
    // Prepare
    pages = await startPages();

    // Act
    const response = await raw(pages.baseUrl, 'GET', path);

    // Assess
    expect([400, 404]).toContain(response.status);
    expect(response.headers.location).toBeUndefined();
  });
});
