import { randomUUID } from 'node:crypto';
import type { Account } from '../../accounts/account.ts';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { Clock } from '../../clock.ts';
import { ConflictError, DomainError } from '../../errors.ts';
import { disabledProblem, PatientProblemError } from '../../patient-problems.ts';
import type { TypedDetails } from '../details-match.ts';
import {
  type MediaKind,
  type MediaStore,
  type MediaUpload,
  mediaKey,
  mediaLimits,
  uploadLifetimeSeconds,
} from './media-store.ts';
import {
  closedStates,
  inProgressStates,
  type PhotoIdCheck,
  type PhotoIdCheckStore,
  type PhotoIdType,
  type VideoMethod,
} from './photo-id-check.ts';
import type { PhotoIdWorkflow } from './photo-id-workflow.ts';
import { reviewDeadline, type StaffedHours } from './review-deadline.ts';
import type { SpokenNumbers, SpokenNumbersChallenge } from './spoken-numbers.ts';

/** The check is with the reviewers: the patient sees its status, and cannot change or start one. */
export class CheckInProgressError extends DomainError {
  readonly code = 'photo_id_check_in_progress';
  readonly status = 409;
}

/** The upload the page names is not there (it failed, or was never made): CID4011, and what was uploaded stays. */
export class UploadMissingError extends DomainError {
  readonly code = 'photo_id_upload_missing';
  readonly status = 422;
}

/** A part of the check is missing at submission: the page sends the patient to it. */
export class CheckIncompleteError extends DomainError {
  readonly code = 'photo_id_check_incomplete';
  readonly status = 422;
  readonly missing: 'id-type' | 'photo' | 'video' | 'details';

  constructor(missing: 'id-type' | 'photo' | 'video' | 'details') {
    super('A part of the check is missing.', { logDetail: missing });
    this.missing = missing;
  }
}

export interface PhotoIdSubmissionDependencies {
  readonly checks: PhotoIdCheckStore;
  readonly media: MediaStore;
  readonly spokenNumbers: SpokenNumbers;
  readonly workflow: PhotoIdWorkflow;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly staffedHours: StaffedHours;
}

/**
 * The patient's side of a photo-ID check (seed 001): choose the ID, upload its photo and a
 * video saying the 4 numbers, enter the details, check the answers and submit. One check at a
 * time per account; while it is with the reviewers nothing of it can change. After "more
 * needed", the same check takes the new photo or video as its next attempt.
 */
export class PhotoIdSubmission {
  readonly #deps: PhotoIdSubmissionDependencies;

  constructor(deps: PhotoIdSubmissionDependencies) {
    this.#deps = deps;
  }

  /** The account's check, whatever its state, or undefined when it never had one. */
  async current(account: Account): Promise<PhotoIdCheck | undefined> {
    return this.#deps.checks.current(account.accountId);
  }

  /** Chooses the photo ID, starting a check when there is none open. */
  async chooseIdType(account: Account, idType: PhotoIdType): Promise<PhotoIdCheck> {
    return this.#change(account, (check) => ({ ...check, idType }));
  }

  /** A form that uploads the photo straight to the media store, then comes back to `returnTo`. */
  async photoUpload(
    account: Account,
    options: { readonly returnTo?: string; readonly contentType?: string },
  ) {
    return this.#upload(await this.#started(account), 'photo', options);
  }

  /**
   * The 4 numbers to show in the video (new ones each time) and a form that uploads it for each
   * type a browser may record (WebM in most, MP4 in Safari): the page uses the one it records.
   */
  async videoUpload(account: Account): Promise<{
    readonly challenge: SpokenNumbersChallenge;
    readonly uploads: readonly MediaUpload[];
    /** For the still of the face the page takes from the recording. */
    readonly stillUpload: MediaUpload;
  }> {
    const check = await this.#started(account);
    const challenge = await this.#deps.spokenNumbers.issue(account.accountId);
    const [stillUpload, ...uploads] = await Promise.all([
      this.#upload(check, 'still', {}, challenge.challengeId),
      ...mediaLimits.video.contentTypes.map((contentType) =>
        this.#upload(check, 'video', { contentType }, challenge.challengeId),
      ),
    ]);
    return { challenge, uploads, stillUpload: stillUpload as MediaUpload };
  }

  /** Records the uploaded photo the media store sent the patient back from (the workflow checks it arrived). */
  async photoUploaded(account: Account, key: string): Promise<PhotoIdCheck> {
    this.#requireKey(await this.#started(account), 'photo', key);
    return this.#change(account, (current) => ({
      ...current,
      photo: { key, uploadedAt: this.#now() },
    }));
  }

  /** Records the uploaded video with the numbers it must show (the challenge is used up: single use). */
  async videoUploaded(
    account: Account,
    upload: {
      readonly key: string;
      readonly challengeId: string;
      readonly method: VideoMethod;
      /** The still's key, when the page sent one (it is the same challenge's, or refused). */
      readonly stillKey?: string | undefined;
    },
  ): Promise<PhotoIdCheck> {
    const check = await this.#started(account);
    this.#requireKey(check, 'video', upload.key, upload.challengeId);
    if (upload.stillKey) this.#requireKey(check, 'still', upload.stillKey, upload.challengeId);
    const numbers = await this.#deps.spokenNumbers.use(account.accountId, upload.challengeId);
    return this.#change(account, (current) => ({
      ...current,
      video: {
        key: upload.key,
        uploadedAt: this.#now(),
        numbers,
        method: upload.method,
        ...(upload.stillKey ? { stillKey: upload.stillKey } : {}),
      },
    }));
  }

  async enterDetails(account: Account, details: TypedDetails): Promise<PhotoIdCheck> {
    return this.#change(account, (check) => ({ ...check, details }));
  }

  /** Sends the check for review: its deadline is fixed now, and the workflow started. */
  async submit(account: Account, sourceIp: string): Promise<PhotoIdCheck> {
    const check = await this.#open(account);
    if (!check.idType) throw new CheckIncompleteError('id-type');
    if (!check.photo) throw new CheckIncompleteError('photo');
    if (!check.video) throw new CheckIncompleteError('video');
    if (!check.details) throw new CheckIncompleteError('details');
    if (check.state !== 'collecting') throw new CheckIncompleteError(check.needed ?? 'photo');
    const submittedAt = this.#deps.clock();
    const attempt = check.attempt;
    const {
      decision: _decision,
      needed: _needed,
      validation: _validation,
      automatedChecks: _checks,
      outcomeEmail: _email,
      mediaDeletedAt: _deleted,
      taskToken: _token,
      ...rest
    } = check;
    const submitted: PhotoIdCheck = {
      ...rest,
      state: 'submitted',
      attempt,
      submittedAt: submittedAt.toISOString(),
      deadline: reviewDeadline(submittedAt, this.#deps.staffedHours).toISOString(),
      overdue: false,
      escalations: 0,
    };
    if (!(await this.#deps.checks.save(submitted)))
      throw new ConflictError('The check changed while it was submitted.');
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'photo-id-submitted',
      at: submitted.submittedAt as string,
      sourceIp,
      detail: String(attempt),
    });
    try {
      await this.#deps.workflow.start({ accountId: account.accountId, checkId: check.checkId, attempt });
    } catch (error) {
      // Not started: the check goes back to the patient as it was, to send again (nothing is lost).
      await this.#deps.checks.save({ ...check, version: submitted.version + 1 });
      throw error;
    }
    return { ...submitted, version: submitted.version + 1 };
  }

  /**
   * The account's open check (collecting, or more needed), starting one when the last is closed
   * or there is none; CheckInProgressError while one is with the reviewers.
   */
  async #open(account: Account): Promise<PhotoIdCheck> {
    const { open, version } = await this.#stored(account);
    if (open) return open;
    return {
      checkId: randomUUID(),
      accountId: account.accountId,
      state: 'collecting',
      attempt: 1,
      createdAt: this.#now(),
      version,
    };
  }

  /** The account's stored check if it is open, and the version a new one replaces; refused while one is in progress. */
  async #stored(account: Account): Promise<{ readonly open?: PhotoIdCheck; readonly version: number }> {
    if (account.disabled) throw new PatientProblemError(disabledProblem(account.disabled.reason));
    const check = await this.#deps.checks.current(account.accountId);
    if (check && inProgressStates.includes(check.state))
      throw new CheckInProgressError('A check is with the reviewers.');
    return check && !closedStates.includes(check.state)
      ? { open: check, version: check.version }
      : { version: check?.version ?? 0 };
  }

  /**
   * The account's open check, saved already (an ID type was chosen): upload forms name its keys,
   * so a check made up for a page and never saved cannot have any. CheckIncompleteError otherwise.
   */
  async #started(account: Account): Promise<PhotoIdCheck> {
    const { open } = await this.#stored(account);
    if (!open || (!open.idType && open.state !== 'more-needed')) throw new CheckIncompleteError('id-type');
    return open;
  }

  async #change(account: Account, change: (check: PhotoIdCheck) => PhotoIdCheck): Promise<PhotoIdCheck> {
    const check = await this.#open(account);
    // After "more needed", the first change starts the next attempt (new keys for new media).
    const next = check.state === 'more-needed' ? this.#nextAttempt(check) : check;
    const changed = change(next);
    if (!(await this.#deps.checks.save(changed))) throw new ConflictError('The check changed meanwhile.');
    return { ...changed, version: changed.version + 1 };
  }

  #nextAttempt(check: PhotoIdCheck): PhotoIdCheck {
    const {
      decision: _decision,
      validation: _validation,
      automatedChecks: _checks,
      outcomeEmail: _email,
      mediaDeletedAt: _deleted,
      detailsMatch: _match,
      delayedEmailSent: _delayed,
      failure: _failure,
      taskToken: _token,
      overdue: _overdue,
      escalations: _escalations,
      ...rest
    } = check;
    return {
      ...rest,
      state: 'collecting',
      attempt: check.attempt + 1,
      // What was asked for again is sent again; the rest carries over.
      ...(check.needed === 'photo' ? { photo: undefined } : {}),
      ...(check.needed === 'video' ? { video: undefined } : {}),
    };
  }

  async #upload(
    check: PhotoIdCheck,
    kind: MediaKind,
    options: { readonly returnTo?: string; readonly contentType?: string },
    variant?: string,
  ): Promise<MediaUpload> {
    const limits = mediaLimits[kind];
    const contentType =
      options.contentType && limits.contentTypes.includes(options.contentType)
        ? options.contentType
        : limits.contentTypes[0];
    const attempt = check.state === 'more-needed' ? check.attempt + 1 : check.attempt;
    return this.#deps.media.createUpload({
      key: mediaKey(check.checkId, attempt, kind, variant),
      contentType,
      maxBytes: limits.maxBytes,
      expiresInSeconds: uploadLifetimeSeconds,
      ...(options.returnTo ? { successRedirect: options.returnTo } : {}),
    });
  }

  /**
   * The key the page names must be the one this check's form used. Whether the file arrived is
   * the workflow's to see (this function may sign uploads, never read them): a missing file is
   * asked for again, without a reviewer.
   */
  #requireKey(check: PhotoIdCheck, kind: MediaKind, key: string, variant?: string): void {
    const attempt = check.state === 'more-needed' ? check.attempt + 1 : check.attempt;
    if (key !== mediaKey(check.checkId, attempt, kind, variant))
      throw new UploadMissingError('The upload is not this check’s.', { logDetail: `${kind}-key` });
  }

  #now(): string {
    return this.#deps.clock().toISOString();
  }
}
