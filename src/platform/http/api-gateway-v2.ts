import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { HttpEvent } from './http-types.ts';

/** A request as a plain node:http server reads it. */
export interface RawHttpRequest {
  readonly method: string;
  /** The request target: path and query string. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
}

export interface MatchedRoute {
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
}

/** A response ready for node:http: one header value each, and every cookie as its own Set-Cookie. */
export interface RawHttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** API Gateway passes these as text; everything else, forms and untyped bodies included, as base64. */
const TEXT_CONTENT_TYPE = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript))/i;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time` format, e.g. `07/Aug/2026:01:37:53 +0000`. */
const requestTime = (date: Date): string => {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
};

/** Duplicated query parameters are joined with commas, as API Gateway does. */
const queryParameters = (search: URLSearchParams): Record<string, string> | undefined => {
  const parameters: Record<string, string> = {};
  for (const [name, value] of search) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
};

/**
 * Builds the event API Gateway HTTP API sends a Lambda (payload format 2.0): lower-case headers
 * with duplicates joined by commas, cookies in their own array, the query parsed and raw, and
 * the body as text for textual content types and base64 otherwise.
 */
export const toApiGatewayEvent = (
  request: RawHttpRequest,
  route: MatchedRoute,
  now = new Date(),
): HttpEvent => {
  const url = new URL(request.url, 'http://local.invalid');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // API Gateway sets these itself: a client cannot choose the address its requests come from.
  headers['x-forwarded-for'] = request.sourceIp;
  headers['x-forwarded-proto'] = 'http';
  const cookies = (request.headers.cookie ?? '')
    .split(';')
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  const contentType = headers['content-type'] ?? '';
  const textual = TEXT_CONTENT_TYPE.test(contentType);
  const hasBody = request.body.length > 0;
  const query = queryParameters(url.searchParams);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    // As sent, as API Gateway gives it: not resolved, so `/x/../y` is not `/y` here either.
    rawPath: request.url.split('?')[0] ?? '/',
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: request.method,
        path: request.url.split('?')[0] ?? '/',
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(hasBody ? { body: textual ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !textual,
  };
};

/**
 * Turns what a handler returned into a response, as API Gateway does: a structured result is
 * used as it is; anything else is sent as JSON with status 200.
 */
export const fromHandlerResult = (result: APIGatewayProxyResultV2): RawHttpResponse => {
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!structured) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(body),
    };
  }
  // Lambda's JSON serialisation drops undefined header values; so do we.
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {})
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  const body = result.body ?? '';
  return {
    statusCode: result.statusCode ?? 200,
    headers,
    cookies: result.cookies ?? [],
    body: result.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
  };
};
