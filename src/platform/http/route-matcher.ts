import { type RouteSpec, routeKey } from '../../routes.ts';

export type RouteMatch<R extends RouteSpec> =
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
export const matchRoute = <R extends RouteSpec>(
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
