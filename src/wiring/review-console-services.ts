import { DynamoFailureCounter } from '../adapters/dynamodb/dynamo-failure-counter.ts';
import { DynamoLockouts } from '../adapters/dynamodb/dynamo-lockouts.ts';
import { DynamoPhotoIdCheckStore } from '../adapters/dynamodb/dynamo-photo-id-check-store.ts';
import { DynamoReviewAssignmentStore } from '../adapters/dynamodb/dynamo-review-assignment-store.ts';
import { DynamoStaffAccountStore } from '../adapters/dynamodb/dynamo-staff-account-store.ts';
import { DynamoStaffAuditLog } from '../adapters/dynamodb/dynamo-staff-audit-log.ts';
import { DynamoStaffSessionStore } from '../adapters/dynamodb/dynamo-staff-session-store.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import type { Clock } from '../domain/clock.ts';
import type { PasswordHasher } from '../domain/credentials/password-hasher.ts';
import type { MediaStore } from '../domain/identity/photo-id/media-store.ts';
import { PhotoIdReviews } from '../domain/identity/photo-id/photo-id-reviews.ts';
import type { ReviewDecisions } from '../domain/identity/photo-id/photo-id-workflow.ts';
import type { SecretBox } from '../domain/identity/secret-box.ts';
import type { Limits } from '../domain/limits/limits.ts';
import { StaffLogin } from '../domain/staff/staff-login.ts';
import { StaffSessions } from '../domain/staff/staff-sessions.ts';

/** How long a media link on a check's page works: time to watch the video, then it is dead. */
export const MEDIA_LINK_SECONDS = 300;

/** The review console's services over the table: staff, their sessions and audit, the reviews. */
export const createReviewConsoleServices = (deps: {
  readonly table: DynamoTable;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly hasher: PasswordHasher;
  readonly secrets: Pick<SecretBox, 'open'>;
  readonly media: Pick<MediaStore, 'downloadUrl'>;
  readonly decisions: ReviewDecisions;
}) => {
  const { table, clock, limits } = deps;
  const staff = new DynamoStaffAccountStore(table);
  const audit = new DynamoStaffAuditLog(table);
  return {
    staff,
    audit,
    sessions: new StaffSessions({ store: new DynamoStaffSessionStore(table), clock, timeouts: limits }),
    login: new StaffLogin({
      staff,
      hasher: deps.hasher,
      secrets: deps.secrets,
      failures: new DynamoFailureCounter({ table, clock }),
      lockouts: new DynamoLockouts(table),
      audit,
      clock,
      limits,
    }),
    reviews: new PhotoIdReviews({
      checks: new DynamoPhotoIdCheckStore(table),
      assignments: new DynamoReviewAssignmentStore(table),
      decisions: deps.decisions,
      media: deps.media,
      staff,
      audit,
      clock,
      mediaLinkSeconds: MEDIA_LINK_SECONDS,
    }),
  };
};
