import { DomainError } from './errors.ts';

/**
 * The problems a patient can meet, each with the CID reference NHS login shows for it (where it
 * has one) and the HTTP status of the page. The wording lives with the pages.
 */
export const patientProblems = {
  'confirmation-link-expired': { cid: 'CID1002', status: 400 },
  'confirmation-link-used': { cid: 'CID1003', status: 400 },
  'unknown-service': { cid: 'CID1004', status: 400 },
  'reset-link-expired': { cid: 'CID2021', status: 400 },
  'reset-link-used': { cid: 'CID2022', status: 400 },
  'reset-link-broken': { cid: 'CID2023', status: 400 },
  /** A newer reset link was sent, or the account changed since: NHS login shows CID2021 for a link that no longer works. */
  'reset-link-replaced': { cid: 'CID2021', status: 400 },
  'confirmation-link-replaced': { cid: 'CID1002', status: 400 },
  /** The confirmation email cannot be sent again: its registration expired, or the address was registered again since. */
  'confirmation-resend-expired': { cid: 'CID1002', status: 400 },
  'unlock-link-expired': { cid: undefined, status: 400 },
  'unlock-link-used': { cid: undefined, status: 400 },
  /** A recovery's last step was asked for before its security code was entered. */
  'recovery-needs-second-factor': { cid: undefined, status: 403 },
  /** The patient cannot get the code because the phone on the account is lost: NHS login's CID3001. */
  'lost-phone': { cid: 'CID3001', status: 200 },
  'email-change-link-expired': { cid: undefined, status: 400 },
  'email-change-link-used': { cid: undefined, status: 400 },
  'email-change-report-expired': { cid: undefined, status: 400 },
  'phone-cancel-link-expired': { cid: 'CID3002', status: 400 },
  'phone-cancel-link-used': { cid: 'CID3003', status: 400 },
  'page-not-found': { cid: 'CID0404', status: 404 },
  /** At login, PDS has no usable record for the account's NHS number (invalidated, or no match). */
  'nhs-number-problem': { cid: 'CID2011', status: 403 },
  /** The account is disabled: its PDS record is deceased, has errors or is used by someone else. */
  'account-disabled': { cid: 'CID2012', status: 403 },
  /** Ops suspended the account while they look at a problem. */
  'account-suspended': { cid: 'CID2014', status: 403 },
  /** These GP online-services details were already used for another NHS login. */
  'gp-details-used': { cid: 'CID7004', status: 409 },
  /** The practice system cannot be reached, or refuses the link. */
  'gp-unavailable': { cid: 'CID7023', status: 503 },
  /** The link cannot be made: PDS has no usable record for the practice's NHS number, or disagrees. */
  'gp-link-failed': { cid: 'CID7029', status: 403 },
  /** P5 and P9 evidence name different NHS numbers: the account is held for ops. */
  'identity-mismatch': { cid: 'CID1101', status: 403 },
  /** A photo or video of a photo-ID check did not reach the media store: what was uploaded before is kept. */
  'photo-id-upload-failed': { cid: 'CID4011', status: 422 },
  /** PDS could not be reached while proving who you are: nothing changed, try again. */
  'pds-unavailable-proving': { cid: undefined, status: 503 },
  /** PDS could not be reached to check the NHS number: nothing is issued unchecked. */
  'pds-unavailable': { cid: undefined, status: 503 },
  /** A page's address asked for with a method it does not take (a PUT to /login, say). */
  'method-not-allowed': { cid: undefined, status: 405 },
  'session-expired': { cid: undefined, status: 400 },
  'email-address-taken': { cid: undefined, status: 409 },
  'invalid-redirect': { cid: undefined, status: 400 },
  /** Support required a new password: the right password at login leads to resetting it. */
  'password-reset-required': { cid: undefined, status: 403 },
  /** A page of an authorization request posted after the browser moved on to another request. */
  'authorization-replaced': { cid: undefined, status: 400 },
} as const satisfies Record<string, { cid: string | undefined; status: number }>;

export type PatientProblem = keyof typeof patientProblems;

/** A problem shown to a patient as an accessible page with what to do next and its CID reference. */
export class PatientProblemError extends DomainError {
  readonly problem: PatientProblem;
  readonly code: string;
  readonly status: number;
  readonly cid: string | undefined;

  constructor(problem: PatientProblem, options: { logDetail?: string; cause?: unknown } = {}) {
    super(problem, options);
    this.problem = problem;
    this.code = problem;
    this.status = patientProblems[problem].status;
    this.cid = patientProblems[problem].cid;
  }
}

/** The page for an account that cannot be used: suspended by ops (CID2014), or disabled by its PDS record (CID2012). */
export const disabledProblem = (reason: 'pds-record' | 'suspended'): PatientProblem =>
  reason === 'suspended' ? 'account-suspended' : 'account-disabled';
