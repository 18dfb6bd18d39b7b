/**
 * The review console's route table: pure data, as `routes.ts` is for the patients' pages. The
 * console is a separate HTTP API on a host of its own (locally, a port of its own), served by one
 * function with its own permissions; no route of it is reachable under the patients' domain.
 */
import type { FunctionSpec, RouteSpec } from './routes.ts';

export const consoleFunctionSpecs = {
  'review-console': {
    description:
      'The review console for ops staff: staff login (password and authenticator code), the photo-ID review queue, a check with its media, decisions, assignments and the record of who decided what',
    permissions: ['table:write', 'media:read-reviewed', 'photo-id-review:decide', 'staff-secrets:open'],
    memoryMb: 1024,
    bundledFiles: ['views', 'assets'],
  },
} as const satisfies Record<string, FunctionSpec>;

export type ConsoleFunctionName = keyof typeof consoleFunctionSpecs;

export const consoleRoutes = [
  { id: 'console-queue', method: 'GET', path: '/', function: 'review-console' },
  { id: 'console-login', method: 'GET', path: '/login', function: 'review-console' },
  { id: 'console-login-submit', method: 'POST', path: '/login', function: 'review-console' },
  { id: 'console-code', method: 'GET', path: '/login/code', function: 'review-console' },
  { id: 'console-code-submit', method: 'POST', path: '/login/code', function: 'review-console' },
  { id: 'console-logout', method: 'POST', path: '/logout', function: 'review-console' },
  { id: 'console-check', method: 'GET', path: '/checks/{accountId}', function: 'review-console' },
  {
    id: 'console-decision',
    method: 'POST',
    path: '/checks/{accountId}/decision',
    function: 'review-console',
  },
  {
    id: 'console-assignment',
    method: 'POST',
    path: '/checks/{accountId}/assignment',
    function: 'review-console',
  },
  { id: 'console-record', method: 'GET', path: '/record', function: 'review-console' },
  { id: 'console-asset', method: 'GET', path: '/assets/{path+}', function: 'review-console' },
] as const satisfies readonly RouteSpec<ConsoleFunctionName>[];

export type ConsoleRouteId = (typeof consoleRoutes)[number]['id'];

/** What no console route takes goes to the console's own function (its not-found page). */
export const consoleDefaultRoute = { routeKey: '$default', function: 'review-console' } as const;

/** A console page's URL by its route id, with its path parameters filled in (encoded) and a query. */
export const consoleUrlFor = (
  id: ConsoleRouteId,
  parameters: Readonly<Record<string, string>> = {},
  query: Readonly<Record<string, string | undefined>> = {},
): string => {
  const route = consoleRoutes.find((candidate) => candidate.id === id);
  if (!route) throw new Error(`The console has no route ${id}`);
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = parameters[name];
    if (value === undefined) throw new Error(`The console route ${id} needs ${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
  return search ? `${path}?${search}` : path;
};
