import { createHandler } from '../../functions/review-console/handler.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { consoleUrlFor } from '../console-routes.ts';
import type { Clock } from '../domain/clock.ts';
import type { PasswordHasher } from '../domain/credentials/password-hasher.ts';
import type { MediaStore } from '../domain/identity/photo-id/media-store.ts';
import type { ReviewDecisions } from '../domain/identity/photo-id/photo-id-workflow.ts';
import type { SecretBox } from '../domain/identity/secret-box.ts';
import type { Limits } from '../domain/limits/limits.ts';
import type { HttpHandler } from '../platform/http/http-types.ts';
import type { Logger } from '../platform/logger.ts';
import type { ServiceMetrics } from '../platform/metrics.ts';
import { createPageRenderer } from '../web/page-renderer.ts';
import { loadAssetCatalogue } from '../web/static-assets.ts';
import { createReviewConsoleServices } from '../wiring/review-console-services.ts';
import { workingCopyPaths } from './local-handlers.ts';

/** The review console's handler on `npm start`: the same code as its Lambda, on the local adapters. */
export const createLocalConsoleHandler = (deps: {
  readonly table: DynamoTable;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly hasher: PasswordHasher;
  readonly secrets: SecretBox;
  readonly media: MediaStore;
  /** Where the media links point: the patients' dev server, which serves the local media store. */
  readonly mediaOrigin: string;
  readonly decisions: ReviewDecisions;
  readonly serviceName: string;
  readonly secureCookies: boolean;
}): HttpHandler =>
  createHandler({
    ...createReviewConsoleServices(deps),
    logger: deps.logger,
    metrics: deps.metrics,
    clock: deps.clock,
    limits: deps.limits,
    renderer: createPageRenderer(
      { views: workingCopyPaths.views, nhsukFrontend: workingCopyPaths.nhsukFrontendDist },
      { serviceName: deps.serviceName, extra: { consoleUrlFor } },
    ),
    secureCookies: deps.secureCookies,
    // The dev server takes requests straight from the socket.
    clientAddressSource: 'connection',
    assets: loadAssetCatalogue({
      nhsukFrontend: workingCopyPaths.nhsukFrontend,
      ownAssets: workingCopyPaths.ownAssets,
      simpleWebAuthnBrowser: workingCopyPaths.simpleWebAuthnBrowser,
    }),
    mediaOrigin: deps.mediaOrigin,
  });
