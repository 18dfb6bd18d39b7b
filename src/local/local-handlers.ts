import { fileURLToPath } from 'node:url';
import { createHandler as createAuthorizePagesHandler } from '../../functions/authorize-pages/handler.ts';
import { createHandler as createIdentityPagesHandler } from '../../functions/identity-pages/handler.ts';
import { createHandler as createLoginPagesHandler } from '../../functions/login-pages/handler.ts';
import { createHandler as createLogoutPagesHandler } from '../../functions/logout-pages/handler.ts';
import { createHandler as createNotFoundPagesHandler } from '../../functions/not-found-pages/handler.ts';
import { createHandler as createOidcTokenHandler } from '../../functions/oidc-token/handler.ts';
import { createHandler as createOidcUserinfoHandler } from '../../functions/oidc-userinfo/handler.ts';
import { createHandler as createOpenIdMetadataHandler } from '../../functions/openid-metadata/handler.ts';
import { createHandler as createRecoveryPagesHandler } from '../../functions/recovery-pages/handler.ts';
import { createHandler as createRegistrationPagesHandler } from '../../functions/registration-pages/handler.ts';
import { createHandler as createSettingsPagesHandler } from '../../functions/settings-pages/handler.ts';
import { createHandler as createStaticAssetsHandler } from '../../functions/static-assets/handler.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import type { Clock } from '../domain/clock.ts';
import type { CommonPasswordList } from '../domain/credentials/common-passwords.ts';
import type { PasswordHasher } from '../domain/credentials/password-hasher.ts';
import type { Demographics } from '../domain/identity/demographics.ts';
import type { GpOnlineServices } from '../domain/identity/gp-online-services.ts';
import type { MediaStore } from '../domain/identity/photo-id/media-store.ts';
import {
  type PhotoIdSettings,
  resolvePhotoIdSettings,
} from '../domain/identity/photo-id/photo-id-settings.ts';
import type { PhotoIdWorkflow } from '../domain/identity/photo-id/photo-id-workflow.ts';
import type { SecretBox } from '../domain/identity/secret-box.ts';
import type { Limits } from '../domain/limits/limits.ts';
import type { EmailSender, SmsSender } from '../domain/messaging/message-senders.ts';
import type { TokenSigner } from '../domain/tokens/token-signer.ts';
import type { HttpHandler } from '../platform/http/http-types.ts';
import type { Logger } from '../platform/logger.ts';
import type { ServiceMetrics } from '../platform/metrics.ts';
import type { HttpFunctionName } from '../routes.ts';
import { createPageRenderer } from '../web/page-renderer.ts';
import { loadAssetCatalogue } from '../web/static-assets.ts';
import {
  createIdentityServices,
  unconfiguredDemographics,
  unconfiguredGp,
  unconfiguredMedia,
  unconfiguredWorkflow,
} from '../wiring/identity-services.ts';
import { createOidcServices } from '../wiring/oidc-services.ts';
import { createPatientServices } from '../wiring/patient-services.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where the pages' templates and files are in a working copy (Lambda bundles carry copies). */
export const workingCopyPaths = {
  views: here('../web/views'),
  nhsukFrontendDist: here('../../node_modules/nhsuk-frontend/dist'),
  nhsukFrontend: here('../../node_modules/nhsuk-frontend/dist/nhsuk'),
  ownAssets: here('../web/assets'),
  simpleWebAuthnBrowser: here('../../node_modules/@simplewebauthn/browser/dist/bundle'),
};

export interface LocalDependencies {
  readonly issuer: string;
  readonly signer: TokenSigner;
  readonly logger: Logger;
  /** Every handler's metrics, in memory: the local stack shows them at /_dev/metrics.json. */
  readonly metrics: ServiceMetrics;
  readonly table: DynamoTable;
  readonly clock: Clock;
  readonly limits: Limits;
  /** ISO 3166-1 alpha-2 codes of the countries whose mobile numbers may receive security codes. */
  readonly allowedPhoneCountries: readonly string[];
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly hasher: PasswordHasher;
  readonly commonPasswords: CommonPasswordList;
  readonly serviceName: string;
  /** The support team's contact route (`CONTACT_URL`); the help page at /contact stands in for it when unset. */
  readonly contactUrl?: string | undefined;
  /** PDS: the local sandbox's client, or any PDS FHIR endpoint (`PDS_BASE_URL`); unset, checks say PDS cannot be reached. */
  readonly demographics?: Demographics | undefined;
  /** GP online services: the local sandbox's client, or any broker (`GP_BASE_URL`); unset, GP details get CID7023. */
  readonly gp?: GpOnlineServices | undefined;
  /** Seals and opens GP integration credentials (a local key on `npm start`). */
  readonly secrets: SecretBox;
  /** Photo-ID media: the dev server's own store, at the issuer's origin; unset, uploads say the store is down. */
  readonly media?: MediaStore | undefined;
  /** The photo-ID check's workflow: the ASL file run by the local runner; unset, a submission is refused. */
  readonly workflow?: PhotoIdWorkflow | undefined;
  readonly photoId?: PhotoIdSettings | undefined;
}

/** The local composition root: every function's handler, wired to local adapters. */
export const createLocalHandlers = (deps: LocalDependencies): Record<HttpFunctionName, HttpHandler> => {
  const service = {
    serviceName: deps.serviceName,
    baseUrl: deps.issuer,
    contactLink: deps.contactUrl ?? `${deps.issuer}/contact`,
  };
  const services = createPatientServices({
    ...deps,
    service,
    allowedPhoneCountries: deps.allowedPhoneCountries,
    allowTestPhoneNumbers: true,
    appSecrets: deps.secrets,
  });
  const oidc = createOidcServices(deps);
  // Every page function's handler over the same services, as each Lambda builds its own.
  const pages = {
    ...services,
    logger: deps.logger,
    metrics: deps.metrics,
    clock: deps.clock,
    issuer: deps.issuer,
    serviceName: deps.serviceName,
    supportUrl: deps.contactUrl,
    jwks: () => deps.signer.jwks(),
    limits: deps.limits,
    renderer: createPageRenderer(
      { views: workingCopyPaths.views, nhsukFrontend: workingCopyPaths.nhsukFrontendDist },
      { serviceName: deps.serviceName },
    ),
    secureCookies: deps.issuer.startsWith('https://'),
    // The dev server takes requests straight from the socket: nothing sits in front to vouch for a header.
    clientAddressSource: 'connection' as const,
  };
  return {
    'openid-metadata': createOpenIdMetadataHandler(deps),
    'oidc-token': createOidcTokenHandler({ ...oidc, logger: deps.logger, metrics: deps.metrics }),
    'oidc-userinfo': createOidcUserinfoHandler({
      ...oidc,
      logger: deps.logger,
      metrics: deps.metrics,
      secrets: deps.secrets,
    }),
    'registration-pages': createRegistrationPagesHandler(pages),
    'login-pages': createLoginPagesHandler(pages),
    'recovery-pages': createRecoveryPagesHandler(pages),
    'settings-pages': createSettingsPagesHandler(pages),
    'authorize-pages': createAuthorizePagesHandler(pages),
    'identity-pages': createIdentityPagesHandler({
      ...pages,
      ...createIdentityServices({
        ...deps,
        ...services,
        demographics: deps.demographics ?? unconfiguredDemographics,
        gp: deps.gp ?? unconfiguredGp,
        secrets: deps.secrets,
        service,
        media: deps.media ?? unconfiguredMedia,
        mediaOrigin: new URL(deps.issuer).origin,
        workflow: deps.workflow ?? unconfiguredWorkflow,
        photoId: deps.photoId ?? resolvePhotoIdSettings(),
      }),
    }),
    'logout-pages': createLogoutPagesHandler(pages),
    'static-assets': createStaticAssetsHandler({
      logger: deps.logger,
      metrics: deps.metrics,
      assets: loadAssetCatalogue({
        nhsukFrontend: workingCopyPaths.nhsukFrontend,
        ownAssets: workingCopyPaths.ownAssets,
        simpleWebAuthnBrowser: workingCopyPaths.simpleWebAuthnBrowser,
      }),
    }),
    'not-found-pages': createNotFoundPagesHandler(pages),
  };
};
