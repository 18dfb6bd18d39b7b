import type { AccountStore } from '../../accounts/account.ts';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { Clock } from '../../clock.ts';
import { DomainError } from '../../errors.ts';
import {
  identityCheckApprovedMessage,
  identityCheckDelayedMessage,
  identityCheckMoreNeededMessage,
  identityCheckRejectedMessage,
} from '../../messaging/email-templates.ts';
import type { EmailSender } from '../../messaging/message-senders.ts';
import {
  type Demographics,
  type DemographicsRecord,
  DemographicsUnavailableError,
  isNoUsableRecord,
} from '../demographics.ts';
import { recordMatches } from '../details-match.ts';
import { upliftAccount } from '../identity-uplift.ts';
import { identityOf } from '../record-identity.ts';
import { type MediaStore, mediaLimits, sniffMediaType } from './media-store.ts';
import {
  type DetailsMatch,
  type PhotoIdCheck,
  type PhotoIdCheckStore,
  type RecordedDecision,
  type ReviewDecision,
  readReviewDecision,
} from './photo-id-check.ts';

/** What every task of the workflow is given: the check, by its account, and which submission of it. */
export interface CheckReference {
  readonly accountId: string;
  readonly checkId: string;
  readonly attempt: number;
}

/** The execution's name: one per submission, so starting it again is refused, never run twice. */
export const executionNameOf = (check: CheckReference): string => `${check.checkId}-${check.attempt}`;

/** Starts the workflow for a submitted check; starting the same submission twice starts one execution. */
export interface PhotoIdWorkflow {
  start(check: CheckReference): Promise<void>;
}

/**
 * How a reviewer's decision reaches the waiting workflow: Step Functions' SendTaskSuccess with
 * the task token the wait stored (the review console uses this; tests and the dev control too).
 */
export interface ReviewDecisions {
  /**
   * Resumes the wait whose token this is with the decision and who made it; TaskTokenUnusableError
   * when the wait has ended (decided, or replaced by an escalation's: read the check's token again).
   */
  decide(taskToken: string, decision: ReviewDecision, reviewer: string): Promise<void>;
}

/** The token names no waiting task: it was replaced by an escalation's, or the wait ended. */
export class TaskTokenUnusableError extends DomainError {
  readonly code = 'task_token_unusable';
  readonly status = 409;
}

/** A decision that is not one of the fixed outcomes and reasons: refused before it reaches the workflow. */
export class InvalidDecisionError extends DomainError {
  readonly code = 'invalid_decision';
  readonly status = 400;
}

/**
 * The check is not there any more, or has moved on to another submission (the account was
 * deleted; the patient started again): the workflow ends without touching it. The error's name
 * is what the workflow's Catch matches.
 */
export class CheckGoneError extends Error {
  override readonly name = 'CheckGone';
}

/** The check cannot be in this step (a decision for a check that is not waiting): ops must look. */
export class CheckStateError extends Error {
  override readonly name = 'CheckState';
}

export interface PhotoIdWorkflowSettings {
  /** How often an overdue check raises its alert again, in seconds. */
  readonly escalationRepeatSeconds: number;
  /** Email the patient once that their check is taking longer than usual, when it passes its deadline. */
  readonly sendDelayedEmail: boolean;
  /** Days the media is kept after the decision (default 0: deleted at once). */
  readonly mediaRetentionDays: number;
}

export const defaultPhotoIdWorkflowSettings: PhotoIdWorkflowSettings = {
  escalationRepeatSeconds: 3600,
  sendDelayedEmail: true,
  mediaRetentionDays: 0,
};

export interface PhotoIdWorkflowDependencies {
  readonly checks: PhotoIdCheckStore;
  readonly media: MediaStore;
  readonly demographics: Demographics;
  readonly accounts: Pick<AccountStore, 'findById' | 'setIdentity' | 'holdIdentity'>;
  readonly email: EmailSender;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly service: {
    readonly serviceName: string;
    readonly contactLink: string;
    readonly startLink: string;
  };
  readonly settings: PhotoIdWorkflowSettings;
  /** Raises an ops alert (a log line with a code the alarms filter on); never with personal data. */
  readonly alert: (
    code: 'overdue' | 'failed' | 'email-failed',
    detail: Record<string, string | number>,
  ) => void;
}

const secondsBetween = (later: Date, earlier: Date) =>
  Math.ceil((later.getTime() - earlier.getTime()) / 1000);

/**
 * The steps of the photo-ID check's workflow (`workflows/photo-id-check.asl.json`), one method
 * per Task state. The check in the store is the source of truth: each step reads it, does its
 * part and writes it back, and doing a step twice (a retry, a re-created execution) does it once.
 */
export class PhotoIdWorkflowTasks {
  readonly #deps: PhotoIdWorkflowDependencies;

  constructor(deps: PhotoIdWorkflowDependencies) {
    this.#deps = deps;
  }

  /** The photo and video are there, within their limits, and are what their bytes say (JPEG, PNG, WebM, MP4). */
  async validateSubmission(ref: CheckReference): Promise<{ readonly outcome: 'valid' | 'unreadable' }> {
    const check = await this.#load(ref);
    if (check.validation) return { outcome: 'valid' };
    if (check.decision) return { outcome: 'unreadable' };
    if (!check.photo || !check.video || !check.details) throw new CheckStateError('Submitted incomplete');
    const [photo, video] = await Promise.all([
      this.#deps.media.describe(check.photo.key),
      this.#deps.media.describe(check.video.key),
    ]);
    const photoType = photo && sniffMediaType(photo.leadingBytes);
    const videoType = video && sniffMediaType(video.leadingBytes);
    const photoOk =
      photo && photoType?.startsWith('image/') && photo.size > 0 && photo.size <= mediaLimits.photo.maxBytes;
    const videoOk =
      video && videoType?.startsWith('video/') && video.size > 0 && video.size <= mediaLimits.video.maxBytes;
    if (!photoOk || !videoOk) {
      await this.#write({
        ...check,
        decision: {
          decision: { outcome: 'more-needed', needed: photoOk ? 'video' : 'photo' },
          decidedBy: 'workflow',
          decidedAt: this.#now(),
        },
      });
      return { outcome: 'unreadable' };
    }
    await this.#write({
      ...check,
      validation: {
        photo: { contentType: photoType as string, size: photo.size, etag: photo.etag },
        video: { contentType: videoType as string, size: video.size, etag: video.etag },
      },
    });
    return { outcome: 'valid' };
  }

  /** The entered details against PDS, for the reviewer, and the NHS number an approval proves. */
  async matchDetails(ref: CheckReference): Promise<{ readonly kind: DetailsMatch['kind'] }> {
    const check = await this.#load(ref);
    if (check.detailsMatch?.kind === 'matched') return { kind: 'matched' };
    const match = await this.#match(check);
    await this.#write({ ...check, detailsMatch: match });
    return { kind: match.kind };
  }

  /** Puts the check in the review queue; the wait's timeout is the time left to the deadline. */
  async prepareReview(ref: CheckReference): Promise<{ readonly timeoutSeconds: number }> {
    const check = await this.#load(ref);
    if (!check.deadline) throw new CheckStateError('Submitted without a deadline');
    if (check.state === 'submitted') await this.#write({ ...check, state: 'in-review' });
    else if (check.state !== 'in-review')
      throw new CheckStateError(`Review prepared in state ${check.state}`);
    const left = secondsBetween(new Date(check.deadline), this.#deps.clock());
    // Overdue already (a wait re-created after the deadline): the next alert comes after the repeat.
    return {
      timeoutSeconds: check.overdue ? this.#deps.settings.escalationRepeatSeconds : Math.max(1, left),
    };
  }

  /** Keeps the wait's task token with the check, where the console finds it. */
  async awaitReview(ref: CheckReference & { readonly taskToken: string }): Promise<void> {
    const check = await this.#load(ref);
    if (check.state !== 'in-review') throw new CheckStateError(`Wait started in state ${check.state}`);
    await this.#write({ ...check, taskToken: ref.taskToken });
  }

  /** The deadline passed without a decision: the check is marked overdue, ops alerted, and the wait goes on. */
  async escalate(
    ref: CheckReference,
  ): Promise<{ readonly timeoutSeconds: number; readonly sendDelayedEmail: boolean }> {
    const check = await this.#load(ref);
    const escalations = (check.escalations ?? 0) + 1;
    const { taskToken: _ended, ...rest } = check;
    await this.#write({ ...rest, overdue: true, escalations });
    const deadline = check.deadline ? new Date(check.deadline) : this.#deps.clock();
    this.#deps.alert('overdue', {
      checkId: check.checkId,
      escalations,
      overdueMinutes: Math.max(0, Math.floor(secondsBetween(this.#deps.clock(), deadline) / 60)),
    });
    return {
      timeoutSeconds: this.#deps.settings.escalationRepeatSeconds,
      sendDelayedEmail: this.#deps.settings.sendDelayedEmail && !check.delayedEmailSent,
    };
  }

  /** Tells the patient, once, that the check is taking longer than usual. */
  async sendDelayedEmail(ref: CheckReference): Promise<void> {
    const check = await this.#load(ref);
    if (check.delayedEmailSent) return;
    const account = await this.#deps.accounts.findById(check.accountId);
    if (!account) throw new CheckGoneError('The account was deleted');
    await this.#deps.email.send(
      identityCheckDelayedMessage({ to: account.email, serviceName: this.#deps.service.serviceName }),
    );
    await this.#write({ ...check, delayedEmailSent: true });
  }

  /**
   * Carries out the reviewer's decision (or the workflow's own, for an unreadable upload):
   * approval proves the account at P9 through the uplift (one account per NHS number: where
   * another account has the number, the identity is held and the patient chooses at the next
   * login, CID1006); rejection and "more needed" are recorded for the patient and the email.
   */
  async applyDecision(
    ref: CheckReference & { readonly decision?: unknown; readonly reviewer?: unknown },
  ): Promise<{ readonly outcome: ReviewDecision['outcome'] }> {
    const check = await this.#load(ref);
    if (check.state === 'approved' || check.state === 'rejected' || check.state === 'more-needed')
      return { outcome: check.state };
    const recorded = this.#decisionOf(check, ref);
    const { decision } = recorded;
    const { taskToken: _ended, ...rest } = check;
    if (decision.outcome === 'approved') {
      const { match, record } = await this.#matchForApproval(check);
      const account = await this.#deps.accounts.findById(check.accountId);
      if (!account) throw new CheckGoneError('The account was deleted');
      if (!record || match.kind !== 'matched') throw new CheckStateError('Approved without an NHS record');
      await upliftAccount(this.#deps, account, 'P9', {
        ...account.identity,
        ...identityOf(record, account),
        checkedAt: this.#now(),
      });
      await this.#write({ ...rest, detailsMatch: match, decision: recorded, state: 'approved' });
    } else if (decision.outcome === 'rejected') {
      await this.#write({ ...rest, decision: recorded, state: 'rejected' });
    } else {
      await this.#write({ ...rest, decision: recorded, state: 'more-needed', needed: decision.needed });
    }
    await this.#deps.audit.record({
      accountId: check.accountId,
      type: 'photo-id-decided',
      at: this.#now(),
      detail: decision.outcome === 'rejected' ? `rejected:${decision.reason}` : decision.outcome,
    });
    return { outcome: decision.outcome };
  }

  /** The outcome email (approved, rejected with why and what next, more needed), sent once. */
  async sendOutcomeEmail(ref: CheckReference): Promise<void> {
    const check = await this.#load(ref);
    if (check.outcomeEmail === 'sent') return;
    const account = await this.#deps.accounts.findById(check.accountId);
    if (!account) throw new CheckGoneError('The account was deleted');
    const decision = check.decision?.decision;
    const to = { to: account.email, serviceName: this.#deps.service.serviceName };
    if (check.state === 'approved') await this.#deps.email.send(identityCheckApprovedMessage(to));
    else if (check.state === 'rejected' && decision?.outcome === 'rejected')
      await this.#deps.email.send(
        identityCheckRejectedMessage({
          ...to,
          reason: decision.reason,
          contactLink: this.#deps.service.contactLink,
        }),
      );
    else if (check.state === 'more-needed' && decision?.outcome === 'more-needed')
      await this.#deps.email.send(
        identityCheckMoreNeededMessage({
          ...to,
          needed: decision.needed,
          startLink: this.#deps.service.startLink,
        }),
      );
    else throw new CheckStateError(`No outcome to email in state ${check.state}`);
    await this.#write({ ...check, outcomeEmail: 'sent' });
  }

  /** The email could not be sent after its retries: the check says so, where ops see it. */
  async recordEmailFailure(ref: CheckReference): Promise<void> {
    const check = await this.#load(ref);
    if (check.outcomeEmail === 'sent') return;
    await this.#write({ ...check, outcomeEmail: 'failed' });
    this.#deps.alert('email-failed', { checkId: check.checkId });
  }

  /** When the media may be deleted: the decision's time plus the retention (0 days: now). */
  async scheduleMediaDeletion(ref: CheckReference): Promise<{ readonly deleteAt: string }> {
    const check = await this.#load(ref);
    const decidedAt = new Date(check.decision?.decidedAt ?? this.#now());
    const deleteAt = new Date(decidedAt.getTime() + this.#deps.settings.mediaRetentionDays * 86_400_000);
    return { deleteAt: deleteAt.toISOString() };
  }

  /**
   * Deletes the media the decision was made on. After "more needed", only what is to be sent
   * again: the rest is part of the next submission. The bucket's lifecycle rule removes what an
   * abandoned submission leaves.
   */
  async deleteMedia(ref: CheckReference): Promise<void> {
    const check = await this.#load(ref);
    if (check.mediaDeletedAt) return;
    const kept = check.state === 'more-needed' ? (check.needed === 'photo' ? 'video' : 'photo') : undefined;
    const keys = [
      ...(check.photo && kept !== 'photo' ? [check.photo.key] : []),
      ...(check.video && kept !== 'video' ? [check.video.key] : []),
    ];
    await this.#deps.media.delete(keys);
    const { photo, video, ...rest } = check;
    await this.#write({
      ...rest,
      ...(kept === 'photo' && photo ? { photo } : {}),
      ...(kept === 'video' && video ? { video } : {}),
      mediaDeletedAt: this.#now(),
    });
  }

  /** The workflow could not finish: the check is failed, with the step and the error's name, and ops alerted. */
  async recordFailure(
    ref: CheckReference & { readonly step?: unknown; readonly error?: { readonly Error?: unknown } },
  ): Promise<void> {
    const check = await this.#deps.checks.current(ref.accountId);
    const step = typeof ref.step === 'string' ? ref.step : 'unknown';
    const error = typeof ref.error?.Error === 'string' ? ref.error.Error.slice(0, 100) : 'unknown';
    this.#deps.alert('failed', { checkId: ref.checkId, step, error });
    if (!check || check.checkId !== ref.checkId || check.attempt !== ref.attempt) return;
    const { taskToken: _ended, ...rest } = check;
    await this.#write({ ...rest, state: 'failed', failure: { step, error, at: this.#now() } });
  }

  async #load(ref: CheckReference): Promise<PhotoIdCheck> {
    const check = await this.#deps.checks.current(ref.accountId);
    if (!check || check.checkId !== ref.checkId || check.attempt !== ref.attempt)
      throw new CheckGoneError('The check is not there, or moved on to another submission');
    return check;
  }

  /** Writes the check, or fails the step when another writer changed it first (the retry reads it again). */
  async #write(check: PhotoIdCheck): Promise<void> {
    if (!(await this.#deps.checks.save(check)))
      throw new CheckStateError('The check changed while the step ran');
  }

  #now(): string {
    return this.#deps.clock().toISOString();
  }

  #decisionOf(
    check: PhotoIdCheck,
    input: { readonly decision?: unknown; readonly reviewer?: unknown },
  ): RecordedDecision {
    // The workflow's own decision (an unreadable upload) was recorded by the validation.
    if (check.decision && input.decision == null) return check.decision;
    const decision = readReviewDecision(input.decision);
    if (!decision) throw new CheckStateError('The decision is not one the workflow knows');
    return {
      decision,
      decidedBy: typeof input.reviewer === 'string' ? input.reviewer.slice(0, 100) : 'reviewer',
      decidedAt: this.#now(),
    };
  }

  async #find(check: PhotoIdCheck): Promise<DemographicsRecord | undefined> {
    const details = check.details;
    if (!details) return undefined;
    try {
      const record =
        'nhsNumber' in details
          ? await this.#deps.demographics.retrieve(details.nhsNumber)
          : await this.#deps.demographics.search(details);
      return record && recordMatches(record, details) ? record : undefined;
    } catch (error) {
      if (isNoUsableRecord(error)) return undefined;
      throw error;
    }
  }

  async #match(check: PhotoIdCheck): Promise<DetailsMatch> {
    try {
      const record = await this.#find(check);
      return record
        ? { kind: 'matched', nhsNumber: record.nhsNumber, checkedAt: this.#now() }
        : { kind: 'not-matched', checkedAt: this.#now() };
    } catch (error) {
      if (error instanceof DemographicsUnavailableError)
        return { kind: 'unavailable', checkedAt: this.#now() };
      throw error;
    }
  }

  /** PDS asked again at approval: the record proved is the one PDS has now (the step retries while PDS is down). */
  async #matchForApproval(
    check: PhotoIdCheck,
  ): Promise<{ match: DetailsMatch; record?: DemographicsRecord }> {
    const record = await this.#find(check);
    return record
      ? { match: { kind: 'matched', nhsNumber: record.nhsNumber, checkedAt: this.#now() }, record }
      : { match: { kind: 'not-matched', checkedAt: this.#now() } };
  }
}
