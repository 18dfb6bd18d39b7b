import { consoleRoutes } from '../../src/console-routes.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { NotFoundError } from '../../src/domain/errors.ts';
import type { PhotoIdReviews } from '../../src/domain/identity/photo-id/photo-id-reviews.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import type { StaffAccountStore } from '../../src/domain/staff/staff-account.ts';
import type { StaffAuditLog } from '../../src/domain/staff/staff-audit.ts';
import type { StaffLogin } from '../../src/domain/staff/staff-login.ts';
import type { StaffSessions } from '../../src/domain/staff/staff-sessions.ts';
import type { ClientAddressSource } from '../../src/platform/http/client-ip.ts';
import { createRouteTableHandler, defineRoute } from '../../src/platform/http/http-handler.ts';
import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { ServiceMetrics } from '../../src/platform/metrics.ts';
import { createConsolePageRoutes } from '../../src/web/console/console-page-routes.ts';
import type { PageRenderer } from '../../src/web/page-renderer.ts';
import { type StaticAsset, staticAssetRoute } from '../../src/web/static-assets.ts';
import { consoleLoginPages } from './console-login.ts';
import { consoleReviewPages } from './console-reviews.ts';

export interface ReviewConsoleDependencies {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly clock: Clock;
  readonly limits: Pick<Limits, 'staffPendingLoginSeconds'>;
  readonly renderer: PageRenderer;
  readonly secureCookies: boolean;
  readonly clientAddressSource: ClientAddressSource;
  readonly sessions: StaffSessions;
  readonly staff: Pick<StaffAccountStore, 'findById'>;
  readonly login: StaffLogin;
  readonly audit: StaffAuditLog;
  readonly reviews: PhotoIdReviews;
  readonly assets: ReadonlyMap<string, StaticAsset>;
  readonly mediaOrigin: string;
}

/** The review console: every route of its own route table, and its not-found page for the rest. */
export const createHandler = (deps: ReviewConsoleDependencies): HttpHandler => {
  const pages = createConsolePageRoutes(deps);
  return createRouteTableHandler(consoleRoutes, {
    functionName: 'review-console',
    logger: deps.logger,
    metrics: deps.metrics,
    presentError: pages.presentError,
    routes: {
      ...consoleLoginPages(deps, pages),
      ...consoleReviewPages(deps, pages),
      'console-asset': staticAssetRoute(deps.assets),
    },
    fallback: defineRoute({
      handle: async ({ event }) => {
        throw new NotFoundError('No such page.', { logDetail: event.routeKey });
      },
    }),
  });
};
