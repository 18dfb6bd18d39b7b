/** Every security step we keep a record of, per account. */
export type AuditEventType =
  | 'registered'
  | 'login-succeeded'
  | 'login-failed'
  | 'password-check-failed'
  | 'locked-out'
  | 'code-sent'
  | 'code-verified'
  | 'code-failed'
  | 'code-send-refused'
  | 'phone-added'
  | 'device-remembered'
  | 'logged-out'
  | 'password-rehashed'
  | 'password-reset-requested'
  | 'password-reset'
  | 'password-changed'
  | 'email-change-requested'
  | 'email-changed'
  | 'phone-changed'
  | 'phone-change-cancelled'
  | 'device-removed'
  /** A service redeemed an authorization code: the patient logged in to it (detail: its client_id). */
  | 'service-tokens-issued'
  /** A code was presented again; what its first use issued is revoked (detail: the client_id). */
  | 'code-reused'
  /** A replaced refresh token was presented again; its family is revoked (detail: the client_id). */
  | 'refresh-token-reused'
  /** A partner service handed its login over with asserted_login_identity (detail: its client_id). */
  | 'login-handed-over';

/** A security step: what, when, from where, and a reason code. Never a password, code or token. */
export interface AuditEvent {
  readonly accountId: string;
  readonly type: AuditEventType;
  /** ISO 8601. */
  readonly at: string;
  readonly sourceIp?: string;
  /** A short code, e.g. `wrong-password`, `sms`, `email`. */
  readonly detail?: string;
}

/** Where audit events are kept, newest first, for support look-ups and the patient's recent activity. */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
  recent(accountId: string, limit: number): Promise<AuditEvent[]>;
}
