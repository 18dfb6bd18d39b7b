import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevServer } from '../../../src/local/dev-server.ts';
import { createLocalHandlers } from '../../../src/local/local-handlers.ts';
import { jsonResponse } from '../../../src/platform/http/responses.ts';
import { functionSpecs, routes, workflowFunctionNames } from '../../../src/routes.ts';
import { createLocalDependencies } from '../../support/local-dependencies.ts';

describe('the local dev server', () => {
  let baseUrl: string;
  let close: () => Promise<void>;
  const seenEvents: unknown[] = [];

  beforeAll(async () => {
    // Prepare: the real handlers, plus a test route table whose echo route shows the events it gets.
    const handlers = createLocalHandlers(await createLocalDependencies());
    const server = createDevServer({
      handlers: {
        ...handlers,
        'openid-metadata': async (event, context) => {
          if (event.routeKey !== 'POST /echo/{name}') return handlers['openid-metadata'](event, context);
          seenEvents.push(event);
          return {
            ...jsonResponse(201, { ok: true }),
            cookies: ['first=1; Path=/; HttpOnly', 'second=2; Path=/; HttpOnly'],
          };
        },
      },
      routeTable: [
        ...routes,
        { id: 'echo', method: 'POST', path: '/echo/{name}', function: 'openid-metadata' },
      ],
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });

  afterAll(() => close());

  it('has a handler for every HTTP function of the route table (the workflow’s run in its local runner)', async () => {
    // Act
    const handlers = createLocalHandlers(await createLocalDependencies());

    // Assess
    const httpFunctions = Object.keys(functionSpecs).filter(
      (name) => !(workflowFunctionNames as readonly string[]).includes(name),
    );
    expect(Object.keys(handlers).sort()).toEqual(httpFunctions.sort());
  });

  it('allows the camera and microphone on the photo-ID video page alone', async () => {
    // Act
    const policyOf = async (path: string) =>
      (await fetch(`${baseUrl}${path}`, { redirect: 'manual' })).headers.get('permissions-policy') ?? '';
    const video = await policyOf('/prove-who-you-are/photo-id/video');
    const photo = await policyOf('/prove-who-you-are/photo-id/photo');
    const login = await policyOf('/login');

    // Assess
    expect(video).toContain('camera=(self)');
    expect(video).toContain('microphone=(self)');
    for (const other of [photo, login]) {
      expect(other).toContain('camera=()');
      expect(other).toContain('microphone=()');
    }
  });

  it('serves every route of the route table through its handler', async () => {
    for (const route of routes) {
      // Act: a request the handler answers, though not always with 200 (a form post without a session)
      const path = route.path.replace('{path+}', 'nhsuk-frontend.min.css');
      const response = await fetch(`${baseUrl}${path}`, { method: route.method, redirect: 'manual' });

      // Assess: anything but API Gateway's own "Not Found" came from the route's handler
      const body = await response.text();
      expect(body, route.id).not.toBe('{"message":"Not Found"}');
      expect(response.status, route.id).toBeLessThan(500);
    }
  });

  it('does not resolve dot segments: /x/../ never reaches another route', async () => {
    // Act: node:http sends the path as written, where fetch would normalise it first.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${baseUrl}/`, { path: '/x/../.well-known/jwks.json' }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject);
    });

    // Assess
    expect(status).toBe(404);
  });

  it('hands what no route takes to the $default route’s function, never API Gateway’s JSON', async () => {
    // Act
    const unknownPath = await fetch(`${baseUrl}/nowhere`);
    const wrongMethod = await fetch(`${baseUrl}/.well-known/jwks.json`, { method: 'DELETE' });

    // Assess
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await unknownPath.text()).toContain('CID0404');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(await wrongMethod.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('hands the handler an API Gateway v2 event and sends every cookie it sets', async () => {
    // Act
    const response = await fetch(`${baseUrl}/echo/a%20b?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'session=s1; other=o2' },
      body: 'field=value',
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual([
      'first=1; Path=/; HttpOnly',
      'second=2; Path=/; HttpOnly',
    ]);
    expect(seenEvents.at(-1)).toMatchObject({
      version: '2.0',
      routeKey: 'POST /echo/{name}',
      rawPath: '/echo/a%20b',
      pathParameters: { name: 'a b' },
      queryStringParameters: { x: '1' },
      cookies: ['session=s1', 'other=o2'],
      body: Buffer.from('field=value').toString('base64'),
      isBase64Encoded: true,
    });
  });

  it('refuses a body over 4.5 MB with 413', async () => {
    // Act
    const response = await fetch(`${baseUrl}/echo/big`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(4.5 * 1024 * 1024 + 1),
    });

    // Assess
    expect(response.status).toBe(413);
  });

  it('serves discovery with an issuer-based JWKS URL and the security headers', async () => {
    // Act
    const response = await fetch(`${baseUrl}/.well-known/openid-configuration`);

    // Assess
    expect(await response.json()).toMatchObject({
      issuer: 'http://localhost',
      jwks_uri: 'http://localhost/.well-known/jwks.json',
    });
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a Host it was not told to answer (DNS rebinding), and answers its own', async () => {
    // Prepare
    const server = createDevServer({
      handlers: createLocalHandlers(await createLocalDependencies()),
      allowedHosts: ['localhost', '127.0.0.1'],
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const withHost = (host: string) =>
      new Promise<number>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/_dev/outbox', headers: { host } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on('error', reject);
      });

    // Act
    const rebound = await withHost(`attacker.example:${port}`);
    const noPort = await withHost('attacker.example');
    const own = await withHost(`localhost:${port}`);
    const byAddress = await withHost(`127.0.0.1:${port}`);
    await new Promise<void>((resolve) => server.close(() => resolve()));

    // Assess: 404 is the page-not-found answer for a path it has no local route for; 421 refuses the host
    expect(rebound).toBe(421);
    expect(noPort).toBe(421);
    expect(own).toBe(404);
    expect(byAddress).toBe(404);
  });
});
