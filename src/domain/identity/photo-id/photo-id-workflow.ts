import type { AccountStore } from '../../accounts/account.ts';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { Clock } from '../../clock.ts';
import { DomainError } from '../../errors.ts';
import type { IdentityCheckRejectionReason } from '../../messaging/email-templates.ts';
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
import {
  type AutomatedCheckResults,
  AutomatedCheckUnavailableError,
  ageOn,
  automatedCheckImageLimits,
  checkExpiry,
  type DocumentText,
  type FaceComparison,
  readMrz,
} from './automated-checks.ts';
import { checkMediaPrefix, type MediaStore, mediaLimits, sniffMediaType } from './media-store.ts';
import {
  closedStates,
  type DetailsMatch,
  type PhotoIdCheck,
  type PhotoIdCheckStore,
  type RecordedDecision,
  type ReviewDecision,
  readReviewDecision,
  type UploadedMedia,
  type UploadedVideo,
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

/** The wait a decision is for: its token, and the check and submission the reviewer looked at. */
export interface WaitingReview {
  readonly taskToken: string;
  readonly checkId: string;
  readonly attempt: number;
}

/**
 * How a reviewer's decision reaches the waiting workflow: Step Functions' SendTaskSuccess with
 * the task token the wait stored (the review console uses this; tests and the dev control too).
 */
export interface ReviewDecisions {
  /**
   * Resumes the wait with the decision and who made it; the decision names the check and
   * submission, and one for another is refused by the workflow. TaskTokenUnusableError when the
   * wait has ended (decided, or replaced by an escalation's: read the check's token again).
   */
  decide(waiting: WaitingReview, decision: ReviewDecision, reviewer: string): Promise<void>;
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

/** Another writer changed the check while the step ran: the step's retry reads it again. */
export class CheckChangedError extends Error {
  override readonly name = 'CheckChanged';
}

/** The email a decision leads to, carried by the workflow so it goes whatever the patient does next. */
export type OutcomeEmail =
  | { readonly kind: 'approved' }
  | { readonly kind: 'rejected'; readonly reason: IdentityCheckRejectionReason }
  | { readonly kind: 'more-needed'; readonly needed: 'photo' | 'video' };

/** What ApplyDecision hands on: the email to send and the media to delete, by key. */
export interface AppliedDecision {
  readonly outcome: ReviewDecision['outcome'];
  readonly email: OutcomeEmail;
  readonly mediaKeys: readonly string[];
  readonly decidedAt: string;
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
  /** The automated checks' services (advisory to the reviewer). */
  readonly faceComparison: FaceComparison;
  readonly documentText: DocumentText;
  readonly demographics: Demographics;
  readonly accounts: Pick<AccountStore, 'findById' | 'setIdentity' | 'holdIdentity' | 'disable'>;
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

  /**
   * The photo and video are there, within their limits, and are what their bytes say (JPEG, PNG,
   * WebM, MP4); each is copied, at the version checked, to a key no upload form can write, which
   * is what the reviewer sees. An unreadable or missing upload is "more needed", decided here.
   */
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
    const [photoKey, videoKey] = await Promise.all([
      this.#deps.media.keep(check.photo.key, photo.etag),
      this.#deps.media.keep(check.video.key, video.etag),
    ]);
    const still = await this.#keepStill(check.video.stillKey);
    await this.#write({
      ...check,
      validation: {
        photo: { key: photoKey, contentType: photoType as string, size: photo.size, etag: photo.etag },
        video: { key: videoKey, contentType: videoType as string, size: video.size, etag: video.etag },
        ...(still ? { still } : {}),
      },
    });
    return { outcome: 'valid' };
  }

  /**
   * The still of the face, kept for review when it is a JPEG within its limit; anything else is
   * left out (the face check then says there was no still), never a reason to ask again.
   */
  async #keepStill(key: string | undefined) {
    if (!key) return undefined;
    const still = await this.#deps.media.describe(key);
    if (!still || still.size === 0 || still.size > mediaLimits.still.maxBytes) return undefined;
    if (sniffMediaType(still.leadingBytes) !== 'image/jpeg') return undefined;
    const kept = await this.#deps.media.keep(key, still.etag);
    return { key: kept, contentType: 'image/jpeg', size: still.size, etag: still.etag };
  }

  /** The entered details against PDS: the record the reviewer compares with the ID, and an approval proves. */
  async matchDetails(ref: CheckReference): Promise<{ readonly kind: DetailsMatch['kind'] }> {
    const check = await this.#load(ref);
    if (check.detailsMatch?.kind === 'matched') return { kind: 'matched' };
    let match: DetailsMatch;
    try {
      const record = await this.#find(check);
      match = record ? this.#matched(record) : { kind: 'not-matched', checkedAt: this.#now() };
    } catch (error) {
      if (!(error instanceof DemographicsUnavailableError)) throw error;
      match = { kind: 'unavailable', checkedAt: this.#now() };
    }
    await this.#write({ ...check, detailsMatch: match });
    return { kind: match.kind };
  }

  /**
   * The automated checks, advisory to the reviewer (none approves or rejects): the face on the ID
   * against the still from the video, the ID's text and its machine-readable zone (check digits,
   * against the NHS record or the details), its expiry and the patient's age. A service that
   * cannot be reached leaves its check "not run"; the review goes on whatever happens here.
   */
  async runAutomatedChecks(ref: CheckReference): Promise<{ readonly ran: boolean }> {
    const check = await this.#load(ref);
    if (check.automatedChecks) return { ran: true };
    if (!check.validation) throw new CheckStateError('Automated checks before the media was checked');
    const now = this.#deps.clock();
    const { photo, still } = check.validation;
    const face = await this.#faceCheck(photo.key, still?.key);
    const text = await this.#textCheck(photo.key);
    const lines = text.kind === 'read' ? text.lines : [];
    const mrz = readMrz(check.idType, lines, { details: check.details, match: check.detailsMatch }, now);
    const birthDate =
      check.detailsMatch?.kind === 'matched' && check.detailsMatch.birthDate
        ? { date: check.detailsMatch.birthDate, from: 'nhs-record' as const }
        : check.details
          ? { date: check.details.birthDate, from: 'entered' as const }
          : undefined;
    const results: AutomatedCheckResults = {
      ranAt: now.toISOString(),
      face,
      text,
      mrz,
      expiry: checkExpiry(mrz, lines, now),
      ...(birthDate ? { age: { years: ageOn(birthDate.date, now), from: birthDate.from } } : {}),
    };
    await this.#write({ ...check, automatedChecks: results });
    return { ran: true };
  }

  async #faceCheck(photoKey: string, stillKey: string | undefined): Promise<AutomatedCheckResults['face']> {
    if (!stillKey) return { kind: 'not-run', why: 'no-still' };
    const [photo, still] = await Promise.all([
      this.#deps.media.read(photoKey, automatedCheckImageLimits.face),
      this.#deps.media.read(stillKey, automatedCheckImageLimits.face),
    ]);
    if (!photo || !still) return { kind: 'not-run', why: 'too-large' };
    try {
      return await this.#deps.faceComparison.compare(photo, still);
    } catch (error) {
      if (error instanceof AutomatedCheckUnavailableError) return { kind: 'not-run', why: 'unavailable' };
      throw error;
    }
  }

  async #textCheck(photoKey: string): Promise<AutomatedCheckResults['text']> {
    const photo = await this.#deps.media.read(photoKey, automatedCheckImageLimits.text);
    if (!photo) return { kind: 'not-run', why: 'too-large' };
    try {
      return { kind: 'read', lines: await this.#deps.documentText.detect(photo) };
    } catch (error) {
      if (error instanceof AutomatedCheckUnavailableError) return { kind: 'not-run', why: 'unavailable' };
      throw error;
    }
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
   * Carries out the reviewer's decision (or the workflow's own, for an unreadable upload).
   * Approval proves the account at P9 through the uplift (one account per NHS number: where
   * another account has the number, the identity is held and the patient chooses at the next
   * login, CID1006), and only with the record the reviewer saw: PDS is asked again, and the
   * check fails for ops if the record is gone or another, if the account is disabled, or if the
   * account proved another NHS number before (then it is suspended, as CID1101). Rejection and
   * "more needed" are recorded. What follows (the email, the deletion) is handed on, so it
   * happens whatever the patient does next.
   */
  async applyDecision(ref: CheckReference & { readonly decided?: unknown }): Promise<AppliedDecision> {
    const check = await this.#load(ref);
    if (check.state === 'approved' || check.state === 'rejected' || check.state === 'more-needed')
      return this.#applied(check);
    const recorded = this.#decisionOf(check, ref);
    const { decision } = recorded;
    const { taskToken: _ended, ...rest } = check;
    let decided: PhotoIdCheck;
    if (decision.outcome === 'approved') {
      const account = await this.#deps.accounts.findById(check.accountId);
      if (!account) throw new CheckGoneError('The account was deleted');
      if (account.disabled) throw new CheckStateError('Approved for a disabled account');
      const record = await this.#find(check);
      if (
        !record ||
        check.detailsMatch?.kind !== 'matched' ||
        record.nhsNumber !== check.detailsMatch.nhsNumber
      )
        throw new CheckStateError('Approved without the NHS record the reviewer saw');
      if (account.identity?.nhsNumber && account.identity.nhsNumber !== record.nhsNumber) {
        await this.#deps.accounts.disable(account.accountId, { reason: 'suspended', at: this.#now() });
        throw new CheckStateError('The photo ID names another NHS number than the account proved');
      }
      await upliftAccount(this.#deps, account, 'P9', {
        ...account.identity,
        ...identityOf(record, account),
        checkedAt: this.#now(),
      });
      decided = { ...rest, detailsMatch: this.#matched(record), decision: recorded, state: 'approved' };
    } else if (decision.outcome === 'rejected') {
      decided = { ...rest, decision: recorded, state: 'rejected' };
    } else {
      decided = { ...rest, decision: recorded, state: 'more-needed', needed: decision.needed };
    }
    await this.#write(decided);
    await this.#deps.audit.record({
      accountId: check.accountId,
      type: 'photo-id-decided',
      at: this.#now(),
      detail: decision.outcome === 'rejected' ? `rejected:${decision.reason}` : decision.outcome,
    });
    return this.#applied(decided);
  }

  /** The outcome email (approved, rejected with why and what next, more needed), sent once. */
  async sendOutcomeEmail(ref: CheckReference & { readonly outcome?: unknown }): Promise<void> {
    const applied = readApplied(ref.outcome);
    const check = await this.#sameSubmission(ref);
    if (check?.outcomeEmail === 'sent') return;
    const account = await this.#deps.accounts.findById(ref.accountId);
    if (!account) throw new CheckGoneError('The account was deleted');
    const to = { to: account.email, serviceName: this.#deps.service.serviceName };
    const { email } = applied;
    await this.#deps.email.send(
      email.kind === 'approved'
        ? identityCheckApprovedMessage(to)
        : email.kind === 'rejected'
          ? identityCheckRejectedMessage({
              ...to,
              reason: email.reason,
              contactLink: this.#deps.service.contactLink,
            })
          : identityCheckMoreNeededMessage({
              ...to,
              needed: email.needed,
              startLink: this.#deps.service.startLink,
            }),
    );
    // Marked on the check while it is still this submission (the patient may have moved on).
    await this.#markIfSame(ref, (same) => ({ ...same, outcomeEmail: 'sent' }));
  }

  /** The email could not be sent after its retries: the check says so, where ops see it. */
  async recordEmailFailure(ref: CheckReference): Promise<void> {
    this.#deps.alert('email-failed', { checkId: ref.checkId });
    await this.#markIfSame(ref, (same) =>
      same.outcomeEmail === 'sent' ? same : { ...same, outcomeEmail: 'failed' },
    );
  }

  /** When the media may be deleted: the decision's time plus the retention (0 days: now). */
  async scheduleMediaDeletion(
    ref: CheckReference & { readonly outcome?: unknown },
  ): Promise<{ readonly deleteAt: string }> {
    const decidedAt = new Date(readApplied(ref.outcome).decidedAt);
    const deleteAt = new Date(decidedAt.getTime() + this.#deps.settings.mediaRetentionDays * 86_400_000);
    return { deleteAt: deleteAt.toISOString() };
  }

  /**
   * Deletes the media the decision was made on, by the keys the decision handed on, whatever the
   * check is now. After "more needed", only what is to be sent again (and the reviewed copies):
   * the rest is part of the next submission.
   */
  async deleteMedia(ref: CheckReference & { readonly outcome?: unknown }): Promise<void> {
    const { mediaKeys } = readApplied(ref.outcome);
    await this.#deps.media.delete(mediaKeys);
    const check = await this.#sameSubmission(ref);
    if (!check || check.mediaDeletedAt) return;
    const { photo, video, ...rest } = check;
    const kept = (media: UploadedMedia | undefined) => media !== undefined && !mediaKeys.includes(media.key);
    await this.#write({
      ...rest,
      ...(kept(photo) ? { photo } : {}),
      ...(kept(video) ? { video: video as UploadedVideo } : {}),
      mediaDeletedAt: this.#now(),
    });
  }

  /**
   * The account was deleted, or the check is no longer this one: its media go now, not when the
   * bucket's lifecycle rule gets to them. The whole check's when the check is gone; else this
   * submission's.
   */
  async deleteGoneMedia(ref: CheckReference): Promise<void> {
    const current = await this.#deps.checks.current(ref.accountId);
    const prefix = checkMediaPrefix(ref.checkId);
    await this.#deps.media.deleteUnder(
      current?.checkId === ref.checkId ? `${prefix}${ref.attempt}/` : prefix,
    );
  }

  /** The workflow could not finish: the check is failed, with the step and the error's name, and ops alerted. */
  async recordFailure(
    ref: CheckReference & { readonly step?: unknown; readonly error?: { readonly Error?: unknown } },
  ): Promise<void> {
    const check = await this.#sameSubmission(ref);
    const step = typeof ref.step === 'string' ? ref.step : 'unknown';
    const error = typeof ref.error?.Error === 'string' ? ref.error.Error.slice(0, 100) : 'unknown';
    this.#deps.alert('failed', { checkId: ref.checkId, step, error });
    if (!check || closedStates.includes(check.state)) return;
    const { taskToken: _ended, ...rest } = check;
    await this.#write({ ...rest, state: 'failed', failure: { step, error, at: this.#now() } });
  }

  async #load(ref: CheckReference): Promise<PhotoIdCheck> {
    const check = await this.#sameSubmission(ref);
    if (!check) throw new CheckGoneError('The check is not there, or moved on to another submission');
    return check;
  }

  /** The check if it is still this submission; undefined when the account or check is gone or moved on. */
  async #sameSubmission(ref: CheckReference): Promise<PhotoIdCheck | undefined> {
    const check = await this.#deps.checks.current(ref.accountId);
    return check && check.checkId === ref.checkId && check.attempt === ref.attempt ? check : undefined;
  }

  /**
   * Records what a step did on the check while it is still this submission; once the patient has
   * moved on (a new check, the next attempt), there is nothing to record it on, and that is fine.
   */
  async #markIfSame(ref: CheckReference, change: (check: PhotoIdCheck) => PhotoIdCheck): Promise<void> {
    for (let tries = 0; tries < 3; tries += 1) {
      const check = await this.#sameSubmission(ref);
      if (!check || (await this.#deps.checks.save(change(check)))) return;
    }
    throw new CheckChangedError('The check kept changing while the step ran');
  }

  /** Writes the check, or fails the step when another writer changed it first (the retry reads it again). */
  async #write(check: PhotoIdCheck): Promise<void> {
    if (!(await this.#deps.checks.save(check)))
      throw new CheckChangedError('The check changed while the step ran');
  }

  #now(): string {
    return this.#deps.clock().toISOString();
  }

  #matched(record: DemographicsRecord): DetailsMatch {
    return {
      kind: 'matched',
      nhsNumber: record.nhsNumber,
      givenName: record.givenNames[0],
      familyName: record.familyName,
      birthDate: record.birthDate,
      checkedAt: this.#now(),
    };
  }

  /** The email and the media to delete that a decided check leads to. */
  #applied(check: PhotoIdCheck): AppliedDecision {
    const decision = check.decision?.decision;
    if (!decision) throw new CheckStateError('Decided without a decision');
    const reviewed = [check.validation?.photo.key, check.validation?.video.key, check.validation?.still?.key];
    // The still goes with its video: kept when only a new photo is asked for.
    const video = [check.video?.key, check.video?.stillKey];
    const originals =
      decision.outcome === 'more-needed'
        ? decision.needed === 'photo'
          ? [check.photo?.key]
          : video
        : [check.photo?.key, ...video];
    return {
      outcome: decision.outcome,
      email:
        decision.outcome === 'approved'
          ? { kind: 'approved' }
          : decision.outcome === 'rejected'
            ? { kind: 'rejected', reason: decision.reason }
            : { kind: 'more-needed', needed: decision.needed },
      mediaKeys: [...originals, ...reviewed].filter((key): key is string => key !== undefined),
      decidedAt: check.decision?.decidedAt ?? this.#now(),
    };
  }

  #decisionOf(check: PhotoIdCheck, input: { readonly decided?: unknown }): RecordedDecision {
    const decided = (input.decided ?? {}) as Record<string, unknown>;
    // The workflow's own decision (an unreadable upload) was recorded by the validation.
    if (decided.decision == null) {
      if (!check.decision) throw new CheckStateError('No decision was made');
      return check.decision;
    }
    if (check.state !== 'in-review') throw new CheckStateError(`A decision in state ${check.state}`);
    if (decided.checkId !== check.checkId || decided.attempt !== check.attempt)
      throw new CheckStateError('The decision is for another check or submission');
    const decision = readReviewDecision(decided.decision);
    if (!decision) throw new CheckStateError('The decision is not one the workflow knows');
    return {
      decision,
      decidedBy: typeof decided.reviewer === 'string' ? decided.reviewer.slice(0, 100) : 'reviewer',
      decidedAt: this.#now(),
    };
  }

  /** The record by NHS number, or the single one a search finds, if it matches what was entered. */
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
}

/** The decision's hand-on, as the state machine carries it, read strictly. */
const readApplied = (value: unknown): AppliedDecision => {
  const applied = (value ?? {}) as Partial<AppliedDecision>;
  const email = applied.email as OutcomeEmail | undefined;
  if (
    !email ||
    !['approved', 'rejected', 'more-needed'].includes(email.kind) ||
    !Array.isArray(applied.mediaKeys) ||
    typeof applied.decidedAt !== 'string'
  )
    throw new CheckStateError('The decision handed on is not one the workflow made');
  return applied as AppliedDecision;
};
