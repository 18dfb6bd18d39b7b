import { type RouteSpec, routeKey } from '../../routes.ts';

export type RouteMatch<R extends RouteSpec<string>> =
  | {
      readonly kind: 'matched';
      readonly route: R;
      readonly routeKey: string;
      readonly pathParameters?: Record<string, string>;
    }
  | { readonly kind: 'not-found' };

const segmentsOf = (path: string): string[] => path.split('/').slice(1);

/** A decoded path value that could climb out of its place or smuggle a separator is never a match. */
const unsafe = (value: string): boolean =>
  /[\\\0]/.test(value) || value.split('/').some((part) => part === '..' || part === '.');

/**
 * Finds the route for a method and path as API Gateway does: exact segments, `{name}` matching one
 * segment and `{name+}` the rest of the path.
 */
export const matchRoute = <R extends RouteSpec<string>>(
  table: readonly R[],
  method: string,
  path: string,
): RouteMatch<R> => {
  const requestSegments = segmentsOf(path);
  for (const route of table) {
    if (route.method !== method) continue;
    const parameters = matchPath(segmentsOf(route.path), requestSegments);
    if (parameters) {
      return {
        kind: 'matched',
        route,
        routeKey: routeKey(route),
        ...(Object.keys(parameters).length > 0 ? { pathParameters: parameters } : {}),
      };
    }
  }
  return { kind: 'not-found' };
};

const matchPath = (template: string[], actual: string[]): Record<string, string> | undefined => {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of template.entries()) {
    const parameter = /^\{(\w+)(\+)?\}$/.exec(segment);
    if (parameter?.[2]) {
      const rest = actual.slice(index).map(decodeURIComponent).join('/');
      if (unsafe(rest)) return undefined;
      parameters[parameter[1] as string] = rest;
      return parameters;
    }
    const value = actual[index];
    if (value === undefined) return undefined;
    if (parameter) {
      const decoded = decodeURIComponent(value);
      if (decoded.includes('/') || unsafe(decoded)) return undefined;
      parameters[parameter[1] as string] = decoded;
    } else if (segment !== value) return undefined;
  }
  return actual.length === template.length ? parameters : undefined;
};

/** What to answer a request no route takes, as the route table sees it. */
export type UnmatchedAnswer<R extends RouteSpec> =
  /** The address in its canonical form (no trailing slash, lower case), which a route takes. */
  | { readonly kind: 'redirect'; readonly path: string }
  /** A route takes the address, with other methods: these, for the Allow header. */
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[]; readonly routes: readonly R[] }
  | { readonly kind: 'not-found' };

const canonicalFormOf = (path: string): string => {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return (trimmed === '' ? '/' : trimmed).toLowerCase();
};

/**
 * Why no route took a request: the path is a route's in another form (`/login/`, `/Login`), so it
 * is redirected there; a route takes the path with other methods (405); or nothing takes it (404).
 * Only a path a route of the table takes is ever redirected to, so no redirect leaves the site.
 */
export const explainUnmatched = <R extends RouteSpec>(
  table: readonly R[],
  method: string,
  path: string,
): UnmatchedAnswer<R> => {
  const segments = segmentsOf(path);
  const routes = table.filter((route) => safeMatch(segmentsOf(route.path), segments) !== undefined);
  if (routes.length > 0) {
    return {
      kind: 'method-not-allowed',
      allow: [...new Set(routes.map((route) => route.method))].sort(),
      routes,
    };
  }
  const canonical = canonicalFormOf(path);
  if (canonical !== path && matchRoute(table, method, canonical).kind === 'matched')
    return { kind: 'redirect', path: canonical };
  return { kind: 'not-found' };
};

/** `matchPath`, with a path that cannot be decoded taken as no match. */
const safeMatch = (template: string[], actual: string[]): Record<string, string> | undefined => {
  try {
    return matchPath(template, actual);
  } catch {
    return undefined;
  }
};
