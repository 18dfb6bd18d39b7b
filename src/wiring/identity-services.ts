import { DynamoFailureCounter } from '../adapters/dynamodb/dynamo-failure-counter.ts';
import { DynamoPhotoIdCheckStore } from '../adapters/dynamodb/dynamo-photo-id-check-store.ts';
import { DynamoRateLimiter } from '../adapters/dynamodb/dynamo-rate-limiter.ts';
import { DynamoSpokenNumbersStore } from '../adapters/dynamodb/dynamo-spoken-numbers-store.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import type { AccountStore } from '../domain/accounts/account.ts';
import type { PatientServiceSettings } from '../domain/accounts/patient-service.ts';
import type { AuditLog } from '../domain/audit/audit-log.ts';
import type { Clock } from '../domain/clock.ts';
import { ServiceUnavailableError } from '../domain/errors.ts';
import { type Demographics, DemographicsUnavailableError } from '../domain/identity/demographics.ts';
import { DetailsCheck } from '../domain/identity/details-check.ts';
import { DuplicateAccounts } from '../domain/identity/duplicate-accounts.ts';
import { GpDetailsCheck } from '../domain/identity/gp-details-check.ts';
import { type GpOnlineServices, GpSystemUnavailableError } from '../domain/identity/gp-online-services.ts';
import { NhsNumberCheck } from '../domain/identity/nhs-number-check.ts';
import { type MediaStore, MediaStoreUnavailableError } from '../domain/identity/photo-id/media-store.ts';
import type { PhotoIdSettings } from '../domain/identity/photo-id/photo-id-settings.ts';
import { PhotoIdSubmission } from '../domain/identity/photo-id/photo-id-submission.ts';
import type { PhotoIdWorkflow } from '../domain/identity/photo-id/photo-id-workflow.ts';
import { SpokenNumbers } from '../domain/identity/photo-id/spoken-numbers.ts';
import type { SecretBox } from '../domain/identity/secret-box.ts';
import type { Limits } from '../domain/limits/limits.ts';
import type { EmailSender } from '../domain/messaging/message-senders.ts';
import { meteredDemographics, meteredGp, type ServiceMetrics } from '../platform/metrics.ts';

/** PDS where none is configured: every check says PDS cannot be reached, never that details did not match. */
export const unconfiguredDemographics: Demographics = {
  retrieve: () => Promise.reject(new DemographicsUnavailableError('No PDS is configured.')),
  search: () => Promise.reject(new DemographicsUnavailableError('No PDS is configured.')),
};

/** GP online services where none is configured: every check says the practice system cannot be reached. */
export const unconfiguredGp: GpOnlineServices = {
  link: () => Promise.reject(new GpSystemUnavailableError('No GP linkage broker is configured.')),
};

/** A media store where none is configured: every upload says the store cannot be reached. */
export const unconfiguredMedia: MediaStore = {
  createUpload: () => Promise.reject(new MediaStoreUnavailableError('No media store is configured.')),
  describe: () => Promise.reject(new MediaStoreUnavailableError('No media store is configured.')),
  read: () => Promise.reject(new MediaStoreUnavailableError('No media store is configured.')),
  downloadUrl: () => Promise.reject(new MediaStoreUnavailableError('No media store is configured.')),
  delete: () => Promise.reject(new MediaStoreUnavailableError('No media store is configured.')),
  keep: () => Promise.reject(new MediaStoreUnavailableError('No media store is configured.')),
  deleteUnder: () => Promise.reject(new MediaStoreUnavailableError('No media store is configured.')),
};

/** A workflow where none is configured: a submission is refused, and stays as it was. */
export const unconfiguredWorkflow: PhotoIdWorkflow = {
  start: () => Promise.reject(new ServiceUnavailableError('No photo-ID workflow is configured.')),
};

/**
 * Proving who you are: the details check against PDS (P5), GP online-services details (P9), the
 * duplicate-account journey and the NHS number check at login, over the table and the adapters.
 */
export const createIdentityServices = (adapters: {
  readonly table: DynamoTable;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly demographics: Demographics;
  readonly gp: GpOnlineServices;
  readonly secrets: Pick<SecretBox, 'seal'>;
  readonly email: EmailSender;
  readonly service: Pick<PatientServiceSettings, 'serviceName' | 'contactLink'>;
  readonly audit: AuditLog;
  readonly accounts: AccountStore;
  /** Photo ID and video: where the media go, from which origin, and the workflow a submission starts. */
  readonly media: MediaStore;
  readonly mediaOrigin: string;
  readonly workflow: PhotoIdWorkflow;
  readonly photoId: PhotoIdSettings;
  readonly issuer: string;
  /** PDS and GP calls are counted and timed. */
  readonly metrics: ServiceMetrics;
}) =>
  identityServicesOn({
    ...adapters,
    demographics: meteredDemographics(adapters.demographics, adapters.metrics),
    gp: meteredGp(adapters.gp, adapters.metrics),
  });

const identityServicesOn = (adapters: Parameters<typeof createIdentityServices>[0]) => ({
  photoIdSubmission: new PhotoIdSubmission({
    checks: new DynamoPhotoIdCheckStore(adapters.table),
    media: adapters.media,
    spokenNumbers: new SpokenNumbers({
      store: new DynamoSpokenNumbersStore(adapters.table),
      clock: adapters.clock,
      lifetimeSeconds: adapters.limits.spokenNumbersLifetimeSeconds,
    }),
    workflow: adapters.workflow,
    audit: adapters.audit,
    clock: adapters.clock,
    staffedHours: adapters.photoId.staffedHours,
  }),
  mediaOrigin: adapters.mediaOrigin,
  staffedZone: adapters.photoId.staffedHours.zone,
  issuer: adapters.issuer,
  gpDetailsCheck: new GpDetailsCheck({
    gp: adapters.gp,
    demographics: adapters.demographics,
    secrets: adapters.secrets,
    accounts: adapters.accounts,
    rateLimiter: new DynamoRateLimiter({ table: adapters.table, clock: adapters.clock }),
    audit: adapters.audit,
    clock: adapters.clock,
    limits: adapters.limits,
  }),
  duplicateAccounts: new DuplicateAccounts({
    accounts: adapters.accounts,
    audit: adapters.audit,
    email: adapters.email,
    clock: adapters.clock,
    service: adapters.service,
  }),
  nhsNumberCheck: new NhsNumberCheck({
    demographics: adapters.demographics,
    accounts: adapters.accounts,
    rateLimiter: new DynamoRateLimiter({ table: adapters.table, clock: adapters.clock }),
    audit: adapters.audit,
    clock: adapters.clock,
    limits: adapters.limits,
  }),
  detailsCheck: new DetailsCheck({
    demographics: adapters.demographics,
    accounts: adapters.accounts,
    rateLimiter: new DynamoRateLimiter({ table: adapters.table, clock: adapters.clock }),
    failures: new DynamoFailureCounter({ table: adapters.table, clock: adapters.clock }),
    audit: adapters.audit,
    clock: adapters.clock,
    limits: adapters.limits,
  }),
});
