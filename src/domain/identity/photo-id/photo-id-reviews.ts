import type { Clock } from '../../clock.ts';
import { DomainError } from '../../errors.ts';
import {
  type StaffAccount,
  type StaffAccountStore,
  type StaffAction,
  StaffNotAllowedError,
  staffMay,
} from '../../staff/staff-account.ts';
import type { StaffAuditEvent, StaffAuditLog } from '../../staff/staff-audit.ts';
import type { MediaStore } from './media-store.ts';
import type { PhotoIdCheck, PhotoIdCheckStore, ReviewDecision } from './photo-id-check.ts';
import { type ReviewDecisions, TaskTokenUnusableError } from './photo-id-workflow.ts';
import {
  assigneeOf,
  isReviewableBy,
  type ReviewAssignment,
  type ReviewAssignmentStore,
} from './review-assignments.ts';
import { type QueuedCheck, reviewQueue } from './review-queue.ts';

/** The check is not waiting for this decision any more: decided, or a new submission has replaced it. */
export class CheckMovedOnError extends DomainError {
  readonly code = 'check_moved_on';
  readonly status = 409;
}

/** An approval needs the NHS record the entered details matched: without one, reject or ask for more. */
export class ApprovalNeedsRecordError extends DomainError {
  readonly code = 'approval_needs_record';
  readonly status = 409;
}

/** No current photo-ID check for that account. */
export class CheckNotFoundError extends DomainError {
  readonly code = 'check_not_found';
  readonly status = 404;
}

/** One entry of a member of staff's queue, with who it is given to. */
export interface QueueEntry extends QueuedCheck {
  readonly assignedTo?: string;
}

/** A check as its reviewer sees it: the media by short-lived links, and what they may do with it. */
export interface CheckReview {
  readonly check: PhotoIdCheck;
  /** Presigned downloads of the reviewed copies; none once the media is deleted. */
  readonly photoUrl?: string;
  readonly videoUrl?: string;
  /** The still of the face the automated face check compared with the ID's photo. */
  readonly stillUrl?: string;
  /** The workflow waits for a decision on this submission now. */
  readonly decidable: boolean;
  /** Approving is possible: the entered details matched an NHS record. */
  readonly approvable: boolean;
  /** Who the submission is given to (by a supervisor), while that holds. */
  readonly assignedTo?: string;
  /** Who it can be given to (for a supervisor; none for others). */
  readonly reviewers: readonly StaffAccount[];
  /** What staff did with the account's checks (for a supervisor; none for others). */
  readonly history: readonly RecordedStep[];
}

/** A step of the record supervisors read: who did what to which check. */
export interface RecordedStep extends StaffAuditEvent {
  readonly staffName: string;
}

export interface PhotoIdReviewsDependencies {
  readonly checks: PhotoIdCheckStore;
  readonly assignments: ReviewAssignmentStore;
  readonly decisions: ReviewDecisions;
  readonly media: Pick<MediaStore, 'downloadUrl'>;
  readonly staff: Pick<StaffAccountStore, 'findById' | 'list'>;
  readonly audit: StaffAuditLog;
  readonly clock: Clock;
  /** How long a media link works: long enough to watch the video, short enough not to be passed on. */
  readonly mediaLinkSeconds: number;
}

/** Days of decisions the supervisors' record shows. */
const RECORD_DAYS = 7;

/**
 * The review console's work on photo-ID checks: the queue a member of staff sees, a check's page,
 * the decision (which resumes the workflow through its decision port), a supervisor's assignment
 * and record. Every view and decision is an audit event; every role rule is checked here, not by
 * hiding buttons.
 */
export class PhotoIdReviews {
  readonly #deps: PhotoIdReviewsDependencies;

  constructor(deps: PhotoIdReviewsDependencies) {
    this.#deps = deps;
  }

  /** The waiting checks this member of staff may review, overdue first, then by deadline. */
  async queue(staff: StaffAccount, sourceIp: string): Promise<QueueEntry[]> {
    await this.#require(staff, 'view-queue', sourceIp);
    const checks = await this.#deps.checks.waiting();
    const [assignments, { isActive }] = await Promise.all([
      this.#deps.assignments.find(checks.map((check) => check.accountId)),
      this.#staffList(),
    ]);
    // Support sees where every check stands (for a patient who asks); reviewers only their own to do.
    const shown =
      staff.role === 'support'
        ? checks
        : checks.filter((check) => isReviewableBy(staff, assignments.get(check.accountId), check, isActive));
    const entries = reviewQueue(shown, this.#deps.clock()).map((entry) => {
      const assignedTo = assigneeOf(assignments.get(entry.accountId), entry, isActive);
      return assignedTo ? { ...entry, assignedTo } : entry;
    });
    await this.#record(staff, { type: 'queue-viewed', detail: String(entries.length) }, sourceIp);
    return entries;
  }

  /** A check's page: refused when the role may not open checks, or the check is not theirs to review. */
  async open(staff: StaffAccount, accountId: string, sourceIp: string): Promise<CheckReview> {
    await this.#require(staff, 'open-check', sourceIp);
    const { check, assignment, members, isActive } = await this.#reviewable(
      staff,
      accountId,
      sourceIp,
      'open-check',
    );
    const assignedTo = assigneeOf(assignment, check, isActive);
    // What a supervisor sees besides: who it can be given to, and what staff did with the account's checks.
    const history = staffMay(staff.role, 'view-decisions')
      ? withNames(await this.#deps.audit.forAccount(accountId, 50), members)
      : [];
    const mediaShown = check.validation !== undefined && check.mediaDeletedAt === undefined;
    const link = (key: string, contentType: string) =>
      this.#deps.media.downloadUrl(key, { expiresInSeconds: this.#deps.mediaLinkSeconds, contentType });
    const { photo, video, still } = check.validation ?? {};
    const [photoUrl, videoUrl, stillUrl] =
      mediaShown && photo && video
        ? await Promise.all([
            link(photo.key, photo.contentType),
            link(video.key, video.contentType),
            still ? link(still.key, still.contentType) : undefined,
          ])
        : [undefined, undefined, undefined];
    await this.#record(
      staff,
      {
        type: 'check-viewed',
        accountId,
        checkId: check.checkId,
        attempt: check.attempt,
        detail: mediaShown ? 'with-media' : 'without-media',
      },
      sourceIp,
    );
    return {
      check,
      ...(photoUrl ? { photoUrl } : {}),
      ...(videoUrl ? { videoUrl } : {}),
      ...(stillUrl ? { stillUrl } : {}),
      decidable: isDecidable(check),
      approvable: check.detailsMatch?.kind === 'matched',
      ...(assignedTo ? { assignedTo } : {}),
      reviewers: staffMay(staff.role, 'reassign') ? members.filter(canReview) : [],
      history,
    };
  }

  /**
   * Sends the decision on the submission the reviewer looked at (its check id and attempt) to the
   * waiting workflow. An escalation may have replaced the wait's token since the page was shown:
   * the current one is read and used. Anything else that moved on refuses the decision.
   */
  async decide(
    staff: StaffAccount,
    looked: { readonly accountId: string; readonly checkId: string; readonly attempt: number },
    decision: ReviewDecision,
    sourceIp: string,
  ): Promise<void> {
    await this.#require(staff, 'decide', sourceIp);
    const { check } = await this.#reviewable(staff, looked.accountId, sourceIp, 'decide');
    const refuse = async (why: string, error: DomainError): Promise<never> => {
      await this.#record(
        staff,
        {
          type: 'decision-refused',
          accountId: looked.accountId,
          checkId: looked.checkId,
          attempt: looked.attempt,
          detail: why,
        },
        sourceIp,
      );
      throw error;
    };
    const sameSubmission = (
      current: PhotoIdCheck | undefined,
    ): current is PhotoIdCheck & { taskToken: string } =>
      current !== undefined &&
      current.checkId === looked.checkId &&
      current.attempt === looked.attempt &&
      isDecidable(current);
    if (!sameSubmission(check))
      return refuse('moved-on', new CheckMovedOnError('The check has moved on since you opened it.'));
    if (decision.outcome === 'approved' && check.detailsMatch?.kind !== 'matched')
      return refuse(
        'no-record',
        new ApprovalNeedsRecordError('The details did not match an NHS record: it cannot be approved.'),
      );
    // Recorded before it is sent: a decision that reaches the workflow is always on the record.
    await this.#deps.assignments.recordDecision(looked.accountId, {
      staffId: staff.staffId,
      checkId: check.checkId,
      attempt: check.attempt,
    });
    let waiting = check;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.#deps.decisions.decide(
          { taskToken: waiting.taskToken, checkId: waiting.checkId, attempt: waiting.attempt },
          decision,
          staff.staffId,
        );
        break;
      } catch (error) {
        if (!(error instanceof TaskTokenUnusableError) || attempt > 0) throw error;
        const again = await this.#deps.checks.current(looked.accountId);
        if (!sameSubmission(again) || again.taskToken === waiting.taskToken)
          return refuse('moved-on', new CheckMovedOnError('The check has moved on since you opened it.'));
        waiting = again;
      }
    }
    await this.#record(
      staff,
      {
        type: 'check-decided',
        accountId: looked.accountId,
        checkId: looked.checkId,
        attempt: looked.attempt,
        detail: describeDecision(decision),
      },
      sourceIp,
    );
  }

  /** A supervisor gives a waiting check to a reviewer (a second look by someone who decided before, too). */
  async assign(staff: StaffAccount, accountId: string, reviewerId: string, sourceIp: string): Promise<void> {
    await this.#require(staff, 'reassign', sourceIp);
    const check = await this.#deps.checks.current(accountId);
    if (!check || !['submitted', 'in-review'].includes(check.state))
      throw new CheckMovedOnError('The check is not waiting for a review.');
    const reviewer = await this.#deps.staff.findById(reviewerId);
    if (!reviewer || reviewer.disabled || !staffMay(reviewer.role, 'decide'))
      throw new StaffNotAllowedError('That member of staff cannot review checks.', { logDetail: 'assignee' });
    await this.#deps.assignments.assign(accountId, {
      checkId: check.checkId,
      attempt: check.attempt,
      staffId: reviewer.staffId,
      by: staff.staffId,
      at: this.#deps.clock().toISOString(),
    });
    await this.#record(
      staff,
      {
        type: 'check-assigned',
        accountId,
        checkId: check.checkId,
        attempt: check.attempt,
        detail: reviewer.staffId,
      },
      sourceIp,
    );
  }

  /** The members of staff a check can be given to. */
  async reviewers(staff: StaffAccount): Promise<StaffAccount[]> {
    if (!staffMay(staff.role, 'reassign')) return [];
    return (await this.#deps.staff.list()).filter(canReview);
  }

  /** Who decided and assigned what over the last week, newest first, with their names (supervisors). */
  async record(staff: StaffAccount, sourceIp: string): Promise<RecordedStep[]> {
    await this.#require(staff, 'view-decisions', sourceIp);
    const today = this.#deps.clock().getTime();
    const days = Array.from({ length: RECORD_DAYS }, (_, back) =>
      new Date(today - back * 86_400_000).toISOString().slice(0, 10),
    );
    const [events, members] = await Promise.all([
      this.#deps.audit.onDays(days, ['check-decided', 'check-assigned']),
      this.#deps.staff.list(),
    ]);
    await this.#record(staff, { type: 'decisions-viewed' }, sourceIp);
    return withNames(events, members);
  }

  async #reviewable(
    staff: StaffAccount,
    accountId: string,
    sourceIp: string,
    action: StaffAction,
  ): Promise<{
    check: PhotoIdCheck;
    assignment: ReviewAssignment | undefined;
    members: StaffAccount[];
    isActive: (staffId: string) => boolean;
  }> {
    const check = await this.#deps.checks.current(accountId);
    if (!check) throw new CheckNotFoundError('There is no photo-ID check for that account.');
    const [assignments, { members, isActive }] = await Promise.all([
      this.#deps.assignments.find([accountId]),
      this.#staffList(),
    ]);
    const assignment = assignments.get(accountId);
    // A reviewer sees a check only while it waits and is theirs to review; a supervisor, any.
    const waiting = check.state === 'submitted' || check.state === 'in-review';
    if (staff.role !== 'supervisor' && (!waiting || !isReviewableBy(staff, assignment, check, isActive))) {
      await this.#record(
        staff,
        { type: 'access-refused', accountId, checkId: check.checkId, attempt: check.attempt, detail: action },
        sourceIp,
      );
      throw new StaffNotAllowedError('This check is not yours to review.', { logDetail: 'not-reviewable' });
    }
    return { check, assignment, members, isActive };
  }

  /** Every member of staff, read once a request, and who of them may still review (an assignment to someone disabled counts for nothing). */
  async #staffList(): Promise<{ members: StaffAccount[]; isActive: (staffId: string) => boolean }> {
    const members = await this.#deps.staff.list();
    const active = new Set(members.filter(canReview).map((member) => member.staffId));
    return { members, isActive: (staffId) => active.has(staffId) };
  }

  async #require(staff: StaffAccount, action: StaffAction, sourceIp: string): Promise<void> {
    if (staffMay(staff.role, action)) return;
    await this.#record(staff, { type: 'access-refused', detail: action }, sourceIp);
    throw new StaffNotAllowedError('Your role does not allow this.', { logDetail: action });
  }

  async #record(
    staff: StaffAccount,
    event: Omit<StaffAuditEvent, 'staffId' | 'at' | 'sourceIp'>,
    sourceIp: string,
  ): Promise<void> {
    await this.#deps.audit.record({
      ...event,
      staffId: staff.staffId,
      at: this.#deps.clock().toISOString(),
      sourceIp,
    });
  }
}

const canReview = (member: StaffAccount): boolean => !member.disabled && staffMay(member.role, 'decide');

const isDecidable = (check: PhotoIdCheck): boolean =>
  check.state === 'in-review' && check.taskToken !== undefined;

const describeDecision = (decision: ReviewDecision): string =>
  decision.outcome === 'rejected'
    ? `rejected:${decision.reason}`
    : decision.outcome === 'more-needed'
      ? `more-needed:${decision.needed}`
      : 'approved';

const withNames = (events: readonly StaffAuditEvent[], members: readonly StaffAccount[]): RecordedStep[] => {
  const names = new Map(members.map((member) => [member.staffId, member.name]));
  return events.map((event) => ({ ...event, staffName: names.get(event.staffId) ?? 'Unknown' }));
};
