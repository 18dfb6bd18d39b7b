import httpSecurityHeaders from '@middy/http-security-headers';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toApiGatewayEvent } from '../../../../src/platform/http/api-gateway-v2.ts';
import { createHttpHandler, defineRoute } from '../../../../src/platform/http/http-handler.ts';
import type { HttpEvent } from '../../../../src/platform/http/http-types.ts';
import {
  permissionsPolicy,
  permissionsPolicyHeader,
  policedFeatures,
} from '../../../../src/platform/http/permissions-policy.ts';
import { jsonResponse } from '../../../../src/platform/http/responses.ts';
import { createLogger } from '../../../../src/platform/logger.ts';
import { InMemoryMetrics } from '../../../../src/platform/metrics.ts';

/** The header as a map of feature to allowlist, e.g. `{ camera: '()' }`. */
const parse = (policy: string): Record<string, string> =>
  Object.fromEntries(
    policy.split(', ').map((directive) => {
      const [feature = '', allowlist = ''] = directive.split('=');
      return [feature, allowlist];
    }),
  );

/** The Permissions-Policy middy sets by default on an HTML response: the policy ours replaced. */
const middyDefaultPolicy = async (): Promise<string> => {
  const request = { response: { statusCode: 200, headers: { 'Content-Type': 'text/html' } } };
  // biome-ignore lint/suspicious/noExplicitAny: a bare request is all middy's `after` reads
  await httpSecurityHeaders().after?.(request as any);
  return (request.response.headers as Record<string, string>)['Permissions-Policy'] ?? '';
};

describe('permissionsPolicy', () => {
  it('disables every feature, camera, microphone and both passkey ones included, for a route with none', () => {
    // Act
    const policy = parse(permissionsPolicy());

    // Assess
    expect(Object.keys(policy)).toEqual([...policedFeatures]);
    expect(Object.values(policy).every((allowlist) => allowlist === '()')).toBe(true);
    for (const feature of [
      'camera',
      'microphone',
      'publickey-credentials-get',
      'publickey-credentials-create',
    ]) {
      expect(policy[feature]).toBe('()');
    }
  });

  it('is at least as strict as the policy middy set before', async () => {
    // Prepare
    const before = parse(await middyDefaultPolicy());

    // Act
    const now = parse(permissionsPolicy());

    // Assess
    expect(Object.keys(before).length).toBeGreaterThan(30);
    for (const feature of Object.keys(before)) expect(now[feature], feature).toBe('()');
  });

  it('allows exactly the features a route names, for its own origin only', () => {
    // Act
    const policy = parse(permissionsPolicy(['camera', 'microphone']));

    // Assess
    const allowed = Object.entries(policy).filter(([, allowlist]) => allowlist !== '()');
    expect(allowed).toEqual([
      ['camera', '(self)'],
      ['microphone', '(self)'],
    ]);
  });
});

describe('the Permissions-Policy header of createHttpHandler', () => {
  const context = { awsRequestId: 'request-1', functionName: 'openid-metadata' } as Context;
  const eventFor = (routeKey: string) =>
    toApiGatewayEvent(
      { method: 'GET', url: '/', headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' },
      { routeKey },
    );
  const handler = createHttpHandler({
    functionName: 'openid-metadata',
    logger: createLogger('SILENT'),
    metrics: new InMemoryMetrics(),
    routes: {
      discovery: defineRoute({ handle: async () => jsonResponse(200, {}) }),
      jwks: defineRoute({
        handle: async () => {
          throw new Error('failed');
        },
      }),
    },
  });

  it.each([
    ['a JSON response of a real route', 'GET /.well-known/openid-configuration'],
    ['a failed response of a real route', 'GET /.well-known/jwks.json'],
    ['a request no route of the function takes', 'GET /elsewhere'],
  ])('carries the strict policy on %s', async (_case, routeKey) => {
    // Act
    const response = await handler(eventFor(routeKey), context);

    // Assess
    expect(response.headers?.['Permissions-Policy']).toBe(permissionsPolicy());
    expect(response.headers?.['Permissions-Policy']).toContain('camera=()');
  });

  it('sets the policy once, in place of any a route set itself', async () => {
    // Prepare
    const lenient = createHttpHandler({
      functionName: 'openid-metadata',
      logger: createLogger('SILENT'),
      metrics: new InMemoryMetrics(),
      routes: {
        discovery: defineRoute({
          handle: async () => jsonResponse(200, {}, { 'permissions-policy': 'camera=*' }),
        }),
        jwks: defineRoute({ handle: async () => jsonResponse(200, {}) }),
      },
    });

    // Act
    const response = await lenient(eventFor('GET /.well-known/openid-configuration'), context);

    // Assess
    const names = Object.keys(response.headers ?? {}).filter(
      (name) => name.toLowerCase() === 'permissions-policy',
    );
    expect(names).toEqual(['Permissions-Policy']);
    expect(response.headers?.['Permissions-Policy']).toContain('camera=()');
  });
});

describe('permissionsPolicyHeader', () => {
  it("gives a route's features to that route's responses only", async () => {
    // Prepare
    const middleware = permissionsPolicyHeader(new Map([['GET /video', ['camera', 'microphone'] as const]]));
    const responseTo = async (routeKey: string) => {
      const request = { event: { routeKey } as HttpEvent, response: jsonResponse(200, {}) };
      // biome-ignore lint/suspicious/noExplicitAny: only the event and response are read
      await middleware.after?.(request as any);
      return request.response.headers?.['Permissions-Policy'];
    };

    // Act
    const [video, other] = [await responseTo('GET /video'), await responseTo('GET /login')];

    // Assess
    expect(video).toBe(permissionsPolicy(['camera', 'microphone']));
    expect(other).toBe(permissionsPolicy());
  });
});
