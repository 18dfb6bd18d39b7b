import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import {
  fromHandlerResult,
  type RawHttpResponse,
  toApiGatewayEvent,
} from '../platform/http/api-gateway-v2.ts';
import type { HttpHandler } from '../platform/http/http-types.ts';
import { matchRoute } from '../platform/http/route-matcher.ts';
import { defaultRoute, type HttpFunctionName, type RouteSpec, routes } from '../routes.ts';

/** Lambda takes at most 6 MB of event, and base64 adds a third: larger bodies are refused with 413. */
const MAXIMUM_BODY_BYTES = 4.5 * 1024 * 1024;

export interface DevServerOptions<F extends string = HttpFunctionName> {
  /** One handler per function of the route table, the same code as in Lambda. */
  readonly handlers: Readonly<Record<F, HttpHandler>>;
  /** The patients' route table unless given (the review console has its own). */
  readonly routeTable?: readonly RouteSpec<F>[];
  /** The function of the `$default` route: what no route takes goes to it. */
  readonly defaultFunction?: F;
  /** Extra routes served only by the local stack (never deployed); tried when no table route matches. */
  readonly localRoutes?: (request: IncomingMessage, response: ServerResponse) => boolean;
  /**
   * The host names the server answers to (without a port). A request naming any other Host is
   * refused with 421, so a page on another site that rebinds its own name to 127.0.0.1 (DNS
   * rebinding) cannot read the outbox or the pages. Every host is answered when not given.
   */
  readonly allowedHosts?: readonly string[];
}

/** The host name of a Host header: `localhost:3000` is `localhost`, `[::1]:3000` is `::1`. */
const hostNameOf = (host: string | undefined): string | undefined => {
  if (!host) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]?.toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
};

class PayloadTooLargeError extends Error {}

/** Reads the whole body; past the limit it keeps draining (so the client sees the 413) but keeps nothing. */
const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAXIMUM_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      size > MAXIMUM_BODY_BYTES ? reject(new PayloadTooLargeError()) : resolve(Buffer.concat(chunks)),
    );
    request.on('error', reject);
  });

const lambdaContext = (functionName: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: randomUUID(),
  logGroupName: `/local/${functionName}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

const send = (response: ServerResponse, raw: RawHttpResponse): void => {
  for (const [name, value] of Object.entries(raw.headers)) response.setHeader(name, value);
  if (raw.cookies.length > 0) response.setHeader('set-cookie', [...raw.cookies]);
  response.writeHead(raw.statusCode);
  response.end(raw.body);
};

/** API Gateway's own answers for requests no route takes. */
const gatewayMessage = (statusCode: number, message: string): RawHttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: Buffer.from(JSON.stringify({ message })),
});

/**
 * The local HTTP server: for each request it finds the route in the route table, builds the
 * API Gateway v2 event, calls the same handler Lambda runs, in process, and writes its result.
 */
export const createDevServer = <F extends string = HttpFunctionName>(
  options: DevServerOptions<F>,
): Server => {
  const table = options.routeTable ?? (routes as readonly RouteSpec<string>[] as readonly RouteSpec<F>[]);
  const fallback = {
    routeKey: defaultRoute.routeKey,
    function: options.defaultFunction ?? (defaultRoute.function as F),
  };
  const allowedHosts = options.allowedHosts?.map((host) => host.toLowerCase());
  return createServer(async (request, response) => {
    try {
      const host = hostNameOf(request.headers.host);
      if (allowedHosts && (host === undefined || !allowedHosts.includes(host))) {
        send(response, gatewayMessage(421, 'Misdirected Request'));
        request.resume();
        return;
      }
      // The raw path, not a normalised one: `/a/../b` must not reach route b.
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const declaredLength = Number(request.headers['content-length'] ?? 0);
      if (declaredLength > MAXIMUM_BODY_BYTES) {
        response.setHeader('connection', 'close');
        send(response, gatewayMessage(413, 'Request Entity Too Large'));
        request.resume();
        return;
      }
      const matched = matchRoute(table, request.method ?? 'GET', path);
      if (matched.kind === 'not-found' && options.localRoutes?.(request, response)) return;
      // What no route takes goes to the `$default` route's function, as API Gateway sends it.
      const match = matched.kind === 'matched' ? matched : { route: fallback, routeKey: fallback.routeKey };
      const body = await readBody(request);
      const event = toApiGatewayEvent(
        {
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          headers: request.headers,
          body,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        },
        match,
      );
      const functionName = match.route.function;
      const result = await options.handlers[functionName](event, lambdaContext(functionName));
      send(response, fromHandlerResult(result));
    } catch (error) {
      if (error instanceof PayloadTooLargeError)
        send(response, gatewayMessage(413, 'Request Entity Too Large'));
      else if (error instanceof URIError) send(response, gatewayMessage(400, 'Bad Request'));
      else send(response, gatewayMessage(500, 'Internal Server Error'));
    }
  });
};
