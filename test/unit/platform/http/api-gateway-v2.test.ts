import { describe, expect, it } from 'vitest';
import { fromHandlerResult, toApiGatewayEvent } from '../../../../src/platform/http/api-gateway-v2.ts';

const request = (overrides: Partial<Parameters<typeof toApiGatewayEvent>[0]> = {}) => ({
  method: 'POST',
  url: '/token?a=1&b=2&a=3',
  headers: { host: 'localhost:3000', 'user-agent': 'test', cookie: 'session=abc; theme=dark' },
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  ...overrides,
});

describe('toApiGatewayEvent', () => {
  it('builds a payload format 2.0 event with the route key, raw path and query', () => {
    // Act
    const event = toApiGatewayEvent(request(), { routeKey: 'POST /token' }, new Date(0));

    // Assess
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /token',
      rawPath: '/token',
      rawQueryString: 'a=1&b=2&a=3',
      queryStringParameters: { a: '1,3', b: '2' },
      requestContext: { http: { method: 'POST', path: '/token', sourceIp: '127.0.0.1' }, stage: '$default' },
    });
  });

  it('moves cookies out of the headers into their own array', () => {
    // Act
    const event = toApiGatewayEvent(request(), { routeKey: 'POST /token' });

    // Assess
    expect(event.cookies).toEqual(['session=abc', 'theme=dark']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('joins repeated headers with commas and lower-cases their names', () => {
    // Act
    const event = toApiGatewayEvent(request({ headers: { 'Accept-Language': ['en-GB', 'cy'] } as never }), {
      routeKey: 'POST /token',
    });

    // Assess
    expect(event.headers['accept-language']).toBe('en-GB,cy');
  });

  it('sets X-Forwarded-For to the source address, whatever the client sent', () => {
    // Act
    const event = toApiGatewayEvent(request({ headers: { 'x-forwarded-for': '10.9.9.9' } }), {
      routeKey: 'POST /token',
    });

    // Assess
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('passes a JSON body as text, and a form or binary body as base64, as API Gateway does', () => {
    // Prepare
    const json = request({ headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":1}') });
    const form = request({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('a=b'),
    });
    const binary = request({ headers: { 'content-type': 'image/png' }, body: Buffer.from([0, 255, 1]) });

    // Act
    const jsonEvent = toApiGatewayEvent(json, { routeKey: 'POST /token' });
    const formEvent = toApiGatewayEvent(form, { routeKey: 'POST /token' });
    const binaryEvent = toApiGatewayEvent(binary, { routeKey: 'POST /token' });

    // Assess
    expect(jsonEvent).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    expect(formEvent).toMatchObject({ body: Buffer.from('a=b').toString('base64'), isBase64Encoded: true });
    expect(binaryEvent).toMatchObject({
      body: Buffer.from([0, 255, 1]).toString('base64'),
      isBase64Encoded: true,
    });
  });

  it('leaves out the body, query and cookies when there are none', () => {
    // Act
    const event = toApiGatewayEvent(request({ url: '/jwks', headers: {} }), { routeKey: 'GET /jwks' });

    // Assess
    expect(event.body).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.cookies).toBeUndefined();
  });
});

describe('fromHandlerResult', () => {
  it('keeps every cookie as its own Set-Cookie value and decodes base64 bodies', () => {
    // Act
    const response = fromHandlerResult({
      statusCode: 302,
      headers: { Location: '/next' },
      cookies: ['a=1; Path=/', 'b=2; Path=/'],
      body: Buffer.from('binary').toString('base64'),
      isBase64Encoded: true,
    });

    // Assess
    expect(response.statusCode).toBe(302);
    expect(response.headers).toEqual({ location: '/next' });
    expect(response.cookies).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(response.body.toString()).toBe('binary');
  });

  it('sends an unstructured result as JSON with status 200, as API Gateway does', () => {
    // Act
    const response = fromHandlerResult({ hello: 'world' } as never);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body.toString())).toEqual({ hello: 'world' });
  });
});
