import { createHttpHandler, type RouteDefinition } from '../platform/http/http-handler.ts';
import type { HttpHandler } from '../platform/http/http-types.ts';
import type { Logger } from '../platform/logger.ts';
import type { ServiceMetrics } from '../platform/metrics.ts';
import type { HttpFunctionName, RouteIdOf } from '../routes.ts';
import {
  createPageRoutes,
  type FormValues,
  type PageDefinition,
  type PageDependencies,
} from './page-routes.ts';

export interface PagesHandlerDependencies extends PageDependencies {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
}

/** Makes a route of a page definition: sessions, CSRF, the interaction, rendering. */
export type Page = <Form = FormValues>(definition: PageDefinition<Form>) => RouteDefinition;

/**
 * The handler of a function that serves hosted pages: exactly its routes of the route table,
 * each a page, with errors shown as problem pages.
 */
export const createPagesHandler = <F extends HttpFunctionName>(
  functionName: F,
  deps: PagesHandlerDependencies,
  pages: (page: Page) => { readonly [Id in RouteIdOf<F>]: RouteDefinition },
): HttpHandler => {
  const { page, presentError } = createPageRoutes(deps);
  return createHttpHandler({
    functionName,
    logger: deps.logger,
    metrics: deps.metrics,
    presentError,
    routes: pages(page),
  });
};
