import {
  type IdentityCheckRejectionReason,
  identityCheckRejectionReasons,
} from '../../messaging/email-templates.ts';
import type { TypedDetails } from '../details-match.ts';
import type { AutomatedCheckResults } from './automated-checks.ts';

/** The photo ID a patient may use (seed 001; reference 6.3). */
export const photoIdTypes = {
  passport: 'Passport',
  'uk-driving-licence': 'UK driving licence (full or provisional)',
  'eu-driving-licence': 'Full European driving licence',
  'eu-identity-card': 'European national identity card',
} as const;
export type PhotoIdType = keyof typeof photoIdTypes;

/** How the patient shows the 4 numbers in their video (seed 001: say, sign in BSL, or write). */
export const videoMethods = {
  say: 'Say the numbers',
  sign: 'Sign the numbers in British Sign Language (BSL)',
  write: 'Write the numbers down and hold them up to the camera',
} as const;
export type VideoMethod = keyof typeof videoMethods;

/** A file the browser uploaded to the media store, as the check recorded it. */
export interface UploadedMedia {
  readonly key: string;
  readonly uploadedAt: string;
}

export interface UploadedVideo extends UploadedMedia {
  /** The 4 numbers the video must show: the challenge's, kept with the check for the reviewer. */
  readonly numbers: string;
  readonly method: VideoMethod;
  /** The still of the face the page took from the recording (none where it could not). */
  readonly stillKey?: string;
}

/**
 * Where a check is. `collecting`: the patient is adding the photo, video and details.
 * `submitted`: sent, the workflow started. `in-review`: waiting for a reviewer (until the
 * deadline, then overdue). Final: `approved`, `rejected`, `more-needed` (the patient sends a new
 * photo or video, which starts the next attempt of the same check), `failed` (the workflow could
 * not finish; ops see it, and the patient may start again).
 */
export type PhotoIdCheckState =
  | 'collecting'
  | 'submitted'
  | 'in-review'
  | 'approved'
  | 'rejected'
  | 'more-needed'
  | 'failed';

/** States in which the check is still being worked on: the patient sees its status, not a new start. */
export const inProgressStates: readonly PhotoIdCheckState[] = ['submitted', 'in-review'];
/** States after which a new check may start. */
export const closedStates: readonly PhotoIdCheckState[] = ['approved', 'rejected', 'failed'];

/** What a reviewer decides (the console, through the workflow's decision port). */
export type ReviewDecision =
  | { readonly outcome: 'approved' }
  | { readonly outcome: 'rejected'; readonly reason: IdentityCheckRejectionReason }
  | { readonly outcome: 'more-needed'; readonly needed: 'photo' | 'video' };

export interface RecordedDecision {
  readonly decision: ReviewDecision;
  /** A reviewer's id, or `workflow` when the workflow itself decided (an unreadable upload). */
  readonly decidedBy: string;
  readonly decidedAt: string;
}

/** What the details check against PDS found for the reviewer (and the NHS number an approval proves). */
export type DetailsMatch =
  | {
      readonly kind: 'matched';
      readonly nhsNumber: string;
      /** The record's name and date of birth, for the reviewer to compare with the ID. */
      readonly givenName: string | undefined;
      readonly familyName: string | undefined;
      readonly birthDate: string | undefined;
      readonly checkedAt: string;
    }
  | { readonly kind: 'not-matched'; readonly checkedAt: string }
  | { readonly kind: 'unavailable'; readonly checkedAt: string };

/** What the workflow found the uploads to be, by their bytes. */
export interface MediaValidation {
  /** The reviewed copy (its `key`), of the upload at version `etag`, as its bytes showed it. */
  readonly photo: ValidatedMedia;
  readonly video: ValidatedMedia;
  /** The still of the face, when one came and is a JPEG within its limit. */
  readonly still?: ValidatedMedia;
}

export interface ValidatedMedia {
  readonly key: string;
  readonly contentType: string;
  readonly size: number;
  readonly etag: string;
}

/** One patient's photo-ID check: one at a time per account, kept under the account. */
export interface PhotoIdCheck {
  readonly checkId: string;
  readonly accountId: string;
  readonly state: PhotoIdCheckState;
  /** Counts submissions: a "more needed" decision is followed by the next attempt, with new media keys. */
  readonly attempt: number;
  readonly createdAt: string;
  readonly idType?: PhotoIdType;
  readonly photo?: UploadedMedia;
  readonly video?: UploadedVideo;
  readonly details?: TypedDetails;
  readonly submittedAt?: string;
  /** When the review is due (`reviewDeadline`): stored, so the console and the metrics use the same figure. */
  readonly deadline?: string;
  /** The current wait's task token: after each escalation the wait has a new one. */
  readonly taskToken?: string;
  readonly overdue?: boolean;
  readonly escalations?: number;
  readonly validation?: MediaValidation;
  readonly detailsMatch?: DetailsMatch;
  /** What the automated checks found (advisory to the reviewer). */
  readonly automatedChecks?: AutomatedCheckResults;
  readonly decision?: RecordedDecision;
  /** What a "more needed" asked for, kept while the patient sends it. */
  readonly needed?: 'photo' | 'video';
  readonly outcomeEmail?: 'sent' | 'failed';
  readonly delayedEmailSent?: boolean;
  readonly mediaDeletedAt?: string;
  /** Why the workflow could not finish: an error name, never personal data. */
  readonly failure?: { readonly step: string; readonly error: string; readonly at: string };
  /** Optimistic concurrency: each save names the version it read. */
  readonly version: number;
}

/** The account's check as stored; a new one may replace it only once it is closed. */
export interface PhotoIdCheckStore {
  current(accountId: string): Promise<PhotoIdCheck | undefined>;
  /**
   * Writes the check if the stored one is still at `check.version` (0: there is none), giving it
   * the next version; false when another writer got there first.
   */
  save(check: PhotoIdCheck): Promise<boolean>;
  /** Checks waiting for a reviewer, soonest deadline first (the console's queue). */
  waiting(): Promise<PhotoIdCheck[]>;
}

export const isRejectionReason = (reason: unknown): reason is IdentityCheckRejectionReason =>
  typeof reason === 'string' && Object.hasOwn(identityCheckRejectionReasons, reason);

/** A decision from outside (the console, a test) read strictly: anything else is refused, never guessed. */
export const readReviewDecision = (value: unknown): ReviewDecision | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { outcome, reason, needed } = value as Record<string, unknown>;
  if (outcome === 'approved') return { outcome };
  if (outcome === 'rejected' && isRejectionReason(reason)) return { outcome, reason };
  if (outcome === 'more-needed' && (needed === 'photo' || needed === 'video')) return { outcome, needed };
  return undefined;
};
