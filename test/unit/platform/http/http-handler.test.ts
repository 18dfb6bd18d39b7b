import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AlreadyUsedError, InvalidRequestError } from '../../../../src/domain/errors.ts';
import { toApiGatewayEvent } from '../../../../src/platform/http/api-gateway-v2.ts';
import { createHttpHandler, defineRoute } from '../../../../src/platform/http/http-handler.ts';
import { jsonResponse } from '../../../../src/platform/http/responses.ts';
import { createLogger } from '../../../../src/platform/logger.ts';
import { InMemoryMetrics } from '../../../../src/platform/metrics.ts';

const context = { awsRequestId: 'request-1', functionName: 'openid-metadata' } as Context;
const DISCOVERY = 'GET /.well-known/openid-configuration';
const JWKS = 'GET /.well-known/jwks.json';

const eventFor = (routeKey: string, options: { url?: string; contentType?: string; body?: string } = {}) =>
  toApiGatewayEvent(
    {
      method: 'GET',
      url: options.url ?? '/',
      headers: options.contentType ? { 'content-type': options.contentType } : {},
      body: Buffer.from(options.body ?? ''),
      sourceIp: '127.0.0.1',
    },
    { routeKey },
  );

/** A handler for the openid-metadata function whose routes echo what they were given, or throw. */
const handlerWith = (jwksRoute: ReturnType<typeof defineRoute<never, never>> | undefined = undefined) => {
  const logger = createLogger('SILENT');
  const metrics = new InMemoryMetrics();
  const handler = createHttpHandler({
    functionName: 'openid-metadata',
    logger,
    metrics,
    routes: {
      discovery: defineRoute({
        query: z.object({ state: z.string().min(1) }),
        handle: async ({ query, body }) => jsonResponse(200, { query, body }),
      }),
      jwks:
        jwksRoute ??
        defineRoute({
          handle: async () => {
            throw new Error('database password is hunter2');
          },
        }),
    },
  });
  return { handler, logger, metrics };
};

describe('createHttpHandler', () => {
  it('dispatches by route key and passes the validated query', async () => {
    // Prepare
    const { handler } = handlerWith();

    // Act
    const response = await handler(eventFor(DISCOVERY, { url: '/?state=xyz' }), context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ query: { state: 'xyz' } });
  });

  it('answers invalid_request naming the field when the query fails validation', async () => {
    // Prepare
    const { handler } = handlerWith();

    // Act
    const response = await handler(eventFor(DISCOVERY), context);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: 'invalid_request',
      error_description: expect.stringContaining('state'),
    });
  });

  it('counts each response by its function and status class, the failures too, and publishes them with it', async () => {
    // Prepare
    const { handler, metrics } = handlerWith();

    // Act
    await handler(eventFor(DISCOVERY, { url: '/?state=xyz' }), context);
    await handler(eventFor(DISCOVERY), context);
    await handler(eventFor(JWKS), context);

    // Assess
    expect(metrics.totals()).toEqual(
      expect.arrayContaining([
        { name: 'Responses', dimensions: { function: 'openid-metadata', status: '2xx' }, value: 1 },
        { name: 'Responses', dimensions: { function: 'openid-metadata', status: '4xx' }, value: 1 },
        { name: 'Responses', dimensions: { function: 'openid-metadata', status: '5xx' }, value: 1 },
      ]),
    );
    expect(metrics.totals()).toHaveLength(3);
  });

  it('parses a form body, also when it arrives base64-encoded', async () => {
    // Prepare
    const { handler } = handlerWith();
    const event = {
      ...eventFor(DISCOVERY, { url: '/?state=s', contentType: 'application/x-www-form-urlencoded' }),
      body: Buffer.from('grant_type=authorization_code&code=abc').toString('base64'),
      isBase64Encoded: true,
    };

    // Act
    const response = await handler(event, context);

    // Assess
    expect(JSON.parse(response.body ?? '').body).toEqual({ grant_type: 'authorization_code', code: 'abc' });
  });

  it('parses a JSON body', async () => {
    // Prepare
    const { handler } = handlerWith();

    // Act
    const response = await handler(
      eventFor(DISCOVERY, { url: '/?state=s', contentType: 'application/json', body: '{"a":1}' }),
      context,
    );

    // Assess
    expect(JSON.parse(response.body ?? '').body).toEqual({ a: 1 });
  });

  it('refuses malformed JSON with invalid_request and does not echo it', async () => {
    // Prepare
    const { handler } = handlerWith();

    // Act
    const response = await handler(
      eventFor(DISCOVERY, { url: '/?state=s', contentType: 'application/json', body: '{"secret":' }),
      context,
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '').error).toBe('invalid_request');
    expect(response.body).not.toContain('secret');
  });

  it('maps a typed error to its status and code', async () => {
    // Prepare
    const { handler } = handlerWith(
      defineRoute({
        handle: async () => {
          throw new AlreadyUsedError('This link has been used already.');
        },
      }),
    );

    // Act
    const response = await handler(eventFor(JWKS), context);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: 'already_used',
      error_description: 'This link has been used already.',
    });
  });

  it('answers an unknown error with a generic 500 that reveals nothing, and logs no message', async () => {
    // Prepare
    const { handler, logger } = handlerWith();
    const logged = vi.spyOn(logger, 'error');

    // Act
    const response = await handler(eventFor(JWKS), context);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: 'server_error',
      error_description: 'An unexpected error occurred.',
    });
    expect(response.body).not.toContain('hunter2');
    expect(logged).toHaveBeenCalledOnce();
    expect(JSON.stringify(logged.mock.calls)).not.toContain('hunter2');
  });

  it('adds security headers to successful and failed responses', async () => {
    // Prepare
    const { handler } = handlerWith();

    // Act
    const ok = await handler(eventFor(DISCOVERY, { url: '/?state=s' }), context);
    const failed = await handler(eventFor(JWKS), context);

    // Assess
    for (const response of [ok, failed]) {
      expect(response.headers).toMatchObject({
        'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'X-XSS-Protection': '0',
      });
      expect(Object.keys(response.headers ?? {})).not.toContain('Report-To');
      expect(Object.keys(response.headers ?? {})).not.toContain('Reporting-Endpoints');
    }
  });

  it('never logs the query string, body or cookies of a request', async () => {
    // Prepare
    const { handler, logger } = handlerWith();
    const info = vi.spyOn(logger, 'info');
    const event = {
      ...eventFor(DISCOVERY, {
        url: '/?state=secret-state',
        contentType: 'application/json',
        body: '{"code":"123456"}',
      }),
      cookies: ['session=secret-session'],
    };

    // Act
    await handler(event, context);

    // Assess
    const logs = JSON.stringify(info.mock.calls);
    expect(logs).toContain('PL_HTTP_REQUEST_COMPLETED');
    expect(logs).not.toMatch(/secret-state|123456|secret-session/);
  });

  it('refuses a route key that is not one of the function routes', async () => {
    // Prepare
    const { handler } = handlerWith();

    // Act
    const response = await handler(eventFor('GET /elsewhere'), context);

    // Assess
    expect(response.statusCode).toBe(404);
  });

  it('keeps typed errors thrown as InvalidRequestError at 400', async () => {
    // Prepare
    const { handler } = handlerWith(
      defineRoute({
        handle: async () => {
          throw new InvalidRequestError('redirect_uri is required');
        },
      }),
    );

    // Act
    const response = await handler(eventFor(JWKS), context);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['cache-control']).toBe('no-store');
  });
});
