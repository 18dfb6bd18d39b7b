import { DynamoAccountStore } from '../adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoPhotoIdCheckStore } from '../adapters/dynamodb/dynamo-photo-id-check-store.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import type { Clock } from '../domain/clock.ts';
import type { Demographics } from '../domain/identity/demographics.ts';
import type { DocumentText, FaceComparison } from '../domain/identity/photo-id/automated-checks.ts';
import type { MediaStore } from '../domain/identity/photo-id/media-store.ts';
import type { PhotoIdSettings } from '../domain/identity/photo-id/photo-id-settings.ts';
import {
  type PhotoIdWorkflowDependencies,
  PhotoIdWorkflowTasks,
} from '../domain/identity/photo-id/photo-id-workflow.ts';
import type { EmailSender } from '../domain/messaging/message-senders.ts';
import { logMessages } from '../platform/log-messages.ts';
import type { Logger } from '../platform/logger.ts';
import { meteredAuditLog, meteredDemographics, type ServiceMetrics } from '../platform/metrics.ts';
import { urlFor } from '../routes.ts';

const alertMessages = {
  overdue: 'photoIdCheckOverdue',
  failed: 'photoIdCheckFailed',
  'email-failed': 'photoIdOutcomeEmailFailed',
} as const satisfies Record<string, keyof typeof logMessages>;

/**
 * Ops alerts of the workflow as log lines with their own codes (at error, so the alarms on them
 * fire): the check's id and counts, never personal data.
 */
export const workflowAlerts =
  (logger: Pick<Logger, 'error'>): PhotoIdWorkflowDependencies['alert'] =>
  (code, detail) =>
    logger.error({ ...logMessages[alertMessages[code]], ...detail });

/** The workflow's steps over the table and the adapters a task function has. */
export const createPhotoIdWorkflowTasks = (adapters: {
  readonly table: DynamoTable;
  readonly clock: Clock;
  readonly media: MediaStore;
  readonly demographics: Demographics;
  readonly email: EmailSender;
  readonly faceComparison: FaceComparison;
  readonly documentText: DocumentText;
  readonly logger: Pick<Logger, 'error'>;
  /** Decisions count towards the identity-check metrics as they are audited. */
  readonly metrics: ServiceMetrics;
  readonly issuer: string;
  readonly serviceName: string;
  readonly contactLink: string;
  readonly settings: PhotoIdSettings;
}): PhotoIdWorkflowTasks =>
  new PhotoIdWorkflowTasks({
    checks: new DynamoPhotoIdCheckStore(adapters.table),
    media: adapters.media,
    faceComparison: adapters.faceComparison,
    documentText: adapters.documentText,
    demographics: meteredDemographics(adapters.demographics, adapters.metrics),
    accounts: new DynamoAccountStore(adapters.table),
    email: adapters.email,
    audit: meteredAuditLog(new DynamoAuditLog(adapters.table), adapters.metrics),
    clock: adapters.clock,
    service: {
      serviceName: adapters.serviceName,
      contactLink: adapters.contactLink,
      startLink: `${adapters.issuer}${urlFor('prove-identity')}`,
    },
    settings: adapters.settings,
    alert: workflowAlerts(adapters.logger),
  });
