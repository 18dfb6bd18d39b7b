import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import * as z from 'zod/mini';
import { InvalidRequestError, NotFoundError } from '../../domain/errors.ts';
import { type HttpFunctionName, type RouteIdOf, type RouteSpec, routeKey, routes } from '../../routes.ts';
import type { Logger } from '../logger.ts';
import type { ServiceMetrics } from '../metrics.ts';
import { type ErrorPresenter, errorMapper } from './error-mapper.ts';
import type { Context, HttpEvent, HttpHandler, HttpResponse } from './http-types.ts';
import { permissionsPolicyHeader } from './permissions-policy.ts';
import { requestLogging, requestMetrics } from './request-logging.ts';

export interface RouteInput<Query, Body> {
  readonly query: Query;
  readonly body: Body;
  readonly event: HttpEvent;
  readonly context: Context;
}

/** One route's code: optional zod schemas for its query and body, and the function that answers. */
export interface RouteDefinition<Query = unknown, Body = unknown> {
  readonly query?: z.core.$ZodType<Query>;
  readonly body?: z.core.$ZodType<Body>;
  handle(input: RouteInput<Query, Body>): Promise<HttpResponse>;
}

/** Keeps the schema and handler types of a route tied together. */
export const defineRoute = <Query = unknown, Body = unknown>(
  definition: RouteDefinition<Query, Body>,
): RouteDefinition<Query, Body> => definition;

export interface HttpHandlerOptions<F extends HttpFunctionName> {
  readonly functionName: F;
  readonly logger: Logger;
  /** Where the request's metrics go: its response's status class, and what its journey counted. */
  readonly metrics: ServiceMetrics;
  /** Exactly the routes the route table gives this function. */
  // biome-ignore lint/suspicious/noExplicitAny: each route has its own query and body types
  readonly routes: { readonly [Id in RouteIdOf<F>]: RouteDefinition<any, any> };
  /** How errors are shown: JSON (the default, for protocol endpoints) or a page. */
  readonly presentError?: ErrorPresenter;
  /** The answer to a request no route of the function takes (the `$default` route's function); else 404. */
  // biome-ignore lint/suspicious/noExplicitAny: the fallback reads the raw event
  readonly fallback?: RouteDefinition<any, any>;
}

const describeIssues = (where: string, error: z.core.$ZodError): string =>
  error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : where}: ${issue.message}`)
    .join('; ');

const validate = <T>(schema: z.core.$ZodType<T> | undefined, value: unknown, where: string): T => {
  if (!schema) return value as T;
  const result = z.safeParse(schema, value);
  if (!result.success)
    throw new InvalidRequestError(`Invalid ${where}: ${describeIssues(where, result.error)}`);
  return result.data;
};

/** `X-XSS-Protection: 0` on every response (OWASP's current advice; browsers that still have the auditor turn it off). */
const xssAuditorOff: MiddlewareObj<HttpEvent, HttpResponse> = {
  after: async (request) => {
    if (request.response) request.response = withHeader(request.response, 'X-XSS-Protection', '0');
  },
  onError: async (request) => {
    if (request.response) request.response = withHeader(request.response, 'X-XSS-Protection', '0');
  },
};

const withHeader = (response: HttpResponse, name: string, value: string): HttpResponse => ({
  ...response,
  headers: { ...response.headers, [name]: value },
});

/** Runs a body parser only when there is a body: a GET with a content type is not malformed. */
const onlyWithBody = (
  // biome-ignore lint/suspicious/noExplicitAny: middy's parsers are typed for every event shape
  parser: MiddlewareObj<any, any>,
): MiddlewareObj<HttpEvent, HttpResponse> => ({
  before: async (request) => {
    if (request.event.body !== undefined && request.event.body !== '') await parser.before?.(request);
  },
});

/**
 * The HTTP stack every function uses: request logging, security headers (Permissions-Policy from
 * the route's browser features), the error mapper, header normalising, body parsing (JSON and
 * forms), then validation and dispatch by route key. Middy runs `onError` in reverse order, so the
 * mapper turns errors into responses after the parsers, and the security headers and the request
 * log still see those responses.
 */
export const createHttpHandler = <F extends HttpFunctionName>(options: HttpHandlerOptions<F>): HttpHandler =>
  createRouteTableHandler(routes, options);

/**
 * The same stack for a function of another route table (the review console's): its routes are
 * the table's entries that name the function.
 */
export const createRouteTableHandler = (
  table: readonly RouteSpec<string>[],
  options: Omit<HttpHandlerOptions<HttpFunctionName>, 'functionName' | 'routes'> & {
    readonly functionName: string;
    // biome-ignore lint/suspicious/noExplicitAny: each route has its own query and body types
    readonly routes: Readonly<Record<string, RouteDefinition<any, any>>>;
  },
): HttpHandler => {
  const functionRoutes = table.filter((route) => route.function === options.functionName);
  const byRouteKey = new Map(
    functionRoutes.map((route) => {
      const definition = options.routes[route.id];
      if (!definition)
        throw new Error(`The function ${options.functionName} has no code for route ${route.id}`);
      return [routeKey(route), definition] as const;
    }),
  );
  const featuresByRouteKey = new Map(
    functionRoutes.map((route) => [routeKey(route), route.browserFeatures ?? []] as const),
  );

  const dispatch = async (event: HttpEvent, context: Context): Promise<HttpResponse> => {
    const definition = byRouteKey.get(event.routeKey) ?? options.fallback;
    if (!definition) throw new NotFoundError('No such endpoint.', { logDetail: event.routeKey });
    const query = validate(definition.query, event.queryStringParameters ?? {}, 'query');
    const body = validate(definition.body, event.body ?? {}, 'body');
    return definition.handle({ query, body, event, context });
  };

  return middy<HttpEvent, HttpResponse>(dispatch)
    .use(requestLogging(options.logger))
    .use(requestMetrics(options.metrics, options.functionName))
    .use(
      httpSecurityHeaders({
        strictTransportSecurity: { maxAge: 63072000, includeSubDomains: true, preload: true },
        referrerPolicy: { policy: 'no-referrer' },
        // Pages set their own policy, with the nonce of their one inline script.
        contentSecurityPolicy: false,
        // Middy's would disable every feature, on HTML only; ours follows the route, on every response.
        permissionsPolicy: false,
        // No reporting endpoint is set up: empty Report-To and Reporting-Endpoints headers say nothing.
        reportTo: false,
        // middy's types do not list this option yet; its code honours it.
        ...({ reportingEndpoints: false } as Record<string, false>),
        // Current advice is to turn the old XSS auditor off (it could be abused to leak page data); the CSP protects.
        xssProtection: false,
      }),
    )
    .use(xssAuditorOff)
    .use(permissionsPolicyHeader(featuresByRouteKey))
    .use(errorMapper(options.logger, options.presentError))
    .use(httpHeaderNormalizer())
    .use(onlyWithBody(httpJsonBodyParser({ disableContentTypeError: true })))
    .use(onlyWithBody(httpUrlencodeBodyParser({ disableContentTypeError: true }))) as unknown as HttpHandler;
};
