/**
 * THE route table: pure data. The CDK stack, the local server and the discovery document are all
 * built from it, so a URL or a function is never typed twice.
 */

/** What a function may do with the resources of the stack; each maps to one least-privilege grant. */
export type Permission = 'table:read' | 'table:write' | 'signing-key:sign' | 'signing-key:read-public';

export interface FunctionSpec {
  readonly description: string;
  readonly permissions: readonly Permission[];
  readonly memoryMb?: number;
}

/** One Lambda function per entry, built from `functions/<name>/lambda.ts`. */
export const functionSpecs = {
  'openid-metadata': {
    description: 'OpenID Connect discovery document and the JSON Web Key Set',
    permissions: ['signing-key:read-public'],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functionSpecs;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` for a path parameter. */
  readonly path: string;
  readonly function: FunctionName;
}

export const routes = [
  {
    id: 'discovery',
    method: 'GET',
    path: '/.well-known/openid-configuration',
    function: 'openid-metadata',
  },
  { id: 'jwks', method: 'GET', path: '/.well-known/jwks.json', function: 'openid-metadata' },
] as const satisfies readonly RouteSpec[];

export type Route = (typeof routes)[number];
export type RouteId = Route['id'];
/** The ids of the routes a function serves: its handler must answer each of them. */
export type RouteIdOf<F extends FunctionName> = Extract<Route, { function: F }>['id'];

/** The API Gateway route key (`GET /path`), which is also what Lambda sees as `event.routeKey`. */
export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
