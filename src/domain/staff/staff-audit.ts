/** What the review console keeps a record of: every login, view and decision, by whom. */
export type StaffAuditEventType =
  | 'staff-logged-in'
  | 'staff-login-failed'
  /** Too many wrong passwords or codes: the login is locked for a while. */
  | 'staff-login-locked'
  | 'staff-logged-out'
  /** The queue was listed (detail: how many checks it showed). */
  | 'queue-viewed'
  /** A check's page was opened, with its media (detail: `with-media` or `without-media`). */
  | 'check-viewed'
  /** A check was decided (detail: `approved`, `rejected:<reason>` or `more-needed:<what>`). */
  | 'check-decided'
  /** A decision could not be sent: the check had moved on (detail: why). */
  | 'decision-refused'
  /** A supervisor gave a check to a reviewer (detail: the reviewer's staff id). */
  | 'check-assigned'
  /** The record of who decided what was read. */
  | 'decisions-viewed'
  /** The role does not allow it, or the check is not the reviewer's to see (detail: the action). */
  | 'access-refused'
  /** Support looked a patient's account up (detail: `email` or `nhs-number`, what it was found by). */
  | 'account-looked-up'
  /** Support acted on a patient's account (detail: the action; `reason`: why). */
  | 'support-action';

/** One step of a member of staff; never a password, a code, a patient's details or a media link. */
export interface StaffAuditEvent {
  readonly staffId: string;
  readonly type: StaffAuditEventType;
  /** ISO 8601. */
  readonly at: string;
  readonly sourceIp?: string;
  /** The patient's account and check the step was about. */
  readonly accountId?: string;
  readonly checkId?: string;
  readonly attempt?: number;
  readonly detail?: string;
  /** Why a support action was taken, in the staff member's words. */
  readonly reason?: string;
}

/** Where staff audit events are kept: by day for the supervisors' record, and by check. */
export interface StaffAuditLog {
  record(event: StaffAuditEvent): Promise<void>;
  /** The events about an account's photo-ID checks, newest first. */
  forAccount(accountId: string, limit: number): Promise<StaffAuditEvent[]>;
  /** The events of the days given (YYYY-MM-DD, UTC), newest first, of the types given. */
  onDays(days: readonly string[], types: readonly StaffAuditEventType[]): Promise<StaffAuditEvent[]>;
}
