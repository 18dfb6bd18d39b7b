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
  | 'login-handed-over'
  /** Someone tried to set up a new account with the account's address (the owner is emailed). */
  | 'registration-attempted'
  /** A registration was started for an address without an account (an address event). */
  | 'registration-started'
  /** The registration's password was given at login before its email was confirmed (an address event). */
  | 'login-before-confirmation'
  | 'unlock-requested'
  /** The account was unlocked by its emailed link and second factor: every wrong password is forgotten. */
  | 'account-unlocked'
  /** The second factor was given again before a sensitive change (detail: the purpose). */
  | 'reauthenticated'
  /** The old address reported that an email change it was told of was not the patient's. */
  | 'email-change-reported'
  /** The patient's details were checked against PDS to prove who they are (detail: `matched` or why not). */
  | 'details-checked'
  /** The NHS number was checked with PDS at login (detail: confirmed, superseded, or the problem). */
  | 'nhs-number-checked'
  /** GP online-services details were checked to prove who they are at P9 (detail: `linked` or why not). */
  | 'gp-details-checked'
  /** The account replaced another with the same NHS number, which was deleted (duplicate journey). */
  | 'account-replaced'
  /** The account was replaced by a newer one with the same NHS number (kept on the deleted account). */
  | 'replaced-by-new-account'
  /** A photo-ID check was sent for review (detail: the attempt). */
  | 'photo-id-submitted'
  /** A photo-ID check was decided (detail: `approved`, `rejected:<reason>` or `more-needed`). */
  | 'photo-id-decided'
  /** A passkey was set up (detail: its provider, when known). */
  | 'passkey-added'
  | 'passkey-removed'
  /** A login with a passkey (detail: its provider, when known). */
  | 'passkey-login'
  /** A passkey stood for the second factor (detail: what for, and its provider). */
  | 'passkey-used'
  /** A passkey's counter went backwards or stood still: a copy of it is in use; the login was refused. */
  | 'passkey-clone-refused'
  /** An authenticator app was set up (recovery codes given) or removed. */
  | 'authenticator-app-added'
  | 'authenticator-app-removed'
  /** One of the app's recovery codes stood in for its code (it cannot be used again). */
  | 'recovery-code-used'
  /** Support acted on the account (detail: the action), with who did it and why (`by`, `reason`). */
  | 'support-action'
  /** A login with the right password was sent to reset it, as support required. */
  | 'password-reset-required';

/** A security step: what, when, from where, and a reason code. Never a password, code or token. */
export interface AuditEvent {
  readonly accountId: string;
  readonly type: AuditEventType;
  /** ISO 8601. */
  readonly at: string;
  readonly sourceIp?: string;
  /** A short code, e.g. `wrong-password`, `sms`, `email`. */
  readonly detail?: string;
  /** The member of staff who took a support action. */
  readonly by?: { readonly staffId: string; readonly name: string };
  /** Why support took the action, in their words (for support and ops only; never shown to the patient). */
  readonly reason?: string;
}

/** A security step about an email address that has no account: a wrong password, a reset asked for it. */
export type AddressEvent = Omit<AuditEvent, 'accountId'> & {
  /** The normalised address; the store keeps only a digest of it. */
  readonly address: string;
};

/** Where audit events are kept, newest first, for support look-ups and the patient's recent activity. */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
  /**
   * Records a step about an address without an account, for a limited time (support and abuse
   * look-ups). It costs what `record` costs, so whether an address has an account never shows in
   * the time a request takes.
   */
  recordForAddress(event: AddressEvent): Promise<void>;
  recent(accountId: string, limit: number): Promise<AuditEvent[]>;
}
