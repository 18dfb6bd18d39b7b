import type { Clock } from '../../src/domain/clock.ts';
import { NotFoundError } from '../../src/domain/errors.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import { PatientProblemError } from '../../src/domain/patient-problems.ts';
import type { ErrorPresenter } from '../../src/platform/http/error-mapper.ts';
import { createHttpHandler, defineRoute } from '../../src/platform/http/http-handler.ts';
import type { HttpHandler, HttpResponse } from '../../src/platform/http/http-types.ts';
import { jsonResponse } from '../../src/platform/http/responses.ts';
import { explainUnmatched } from '../../src/platform/http/route-matcher.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { ServiceMetrics } from '../../src/platform/metrics.ts';
import { pageFunctionNames, type RouteSpec, routes } from '../../src/routes.ts';
import type { PageRenderer } from '../../src/web/page-renderer.ts';
import { htmlResponse } from '../../src/web/page-response.ts';
import { createProblemPages } from '../../src/web/problem-pages.ts';

export interface NotFoundPagesDependencies {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly renderer: PageRenderer;
  readonly clock: Clock;
  readonly limits: Limits;
}

const isPage = (route: RouteSpec): boolean =>
  (pageFunctionNames as readonly string[]).includes(route.function);

/**
 * The answer to every request no route takes, in place of API Gateway's `{"message":"Not Found"}`:
 * an address in another form (`/login/`, `/Login`) is redirected to its canonical one (308, so a
 * form post stays a post); an address a route takes with another method answers 405 with Allow
 * (a page for pages, the protocol's JSON for the endpoints relying parties call); anything else
 * is the page-not-found page, CID0404.
 */
export const createHandler = (deps: NotFoundPagesDependencies): HttpHandler => {
  const { problemPageFor } = createProblemPages(deps);
  const presentError: ErrorPresenter = (classified) => {
    const problem = problemPageFor(classified.cause);
    return htmlResponse(deps.renderer.render('problem.njk', { ...problem }), problem.status);
  };
  return createHttpHandler({
    functionName: 'not-found-pages',
    logger: deps.logger,
    metrics: deps.metrics,
    presentError,
    routes: {},
    fallback: defineRoute({
      handle: async ({ event }): Promise<HttpResponse> => {
        const answer = explainUnmatched(routes, event.requestContext.http.method, event.rawPath);
        if (answer.kind === 'redirect') {
          const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
          return {
            statusCode: 308,
            headers: { location: `${answer.path}${query}`, 'cache-control': 'no-store' },
            body: '',
          };
        }
        if (answer.kind === 'not-found') throw new NotFoundError('No route takes this address.');
        const allow = answer.allow.join(', ');
        if (!answer.routes.some(isPage)) {
          return jsonResponse(
            405,
            { error: 'invalid_request', error_description: `This endpoint accepts ${allow} only.` },
            { allow },
          );
        }
        const response = presentError({
          status: 405,
          code: 'method-not-allowed',
          description: '',
          cause: new PatientProblemError('method-not-allowed'),
        });
        return { ...response, headers: { ...response.headers, allow } };
      },
    }),
  });
};
