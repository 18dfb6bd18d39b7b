/** What kind of message it is: for metrics, the local outbox and tests, never for content. */
export type EmailKind =
  | 'confirm-email'
  | 'already-registered'
  | 'unlock-account'
  | 'unlock-no-account'
  | 'email-change-requested'
  | 'security-code'
  | 'reset-password'
  | 'reset-no-account'
  | 'password-changed'
  | 'confirm-new-email'
  | 'email-changed'
  | 'phone-changed'
  | 'account-deleted'
  | 'account-replaced'
  | 'identity-moved'
  | 'identity-check-approved'
  | 'identity-check-rejected'
  | 'identity-check-more-needed'
  | 'identity-check-delayed'
  | 'passkey-added'
  | 'passkey-removed'
  | 'authenticator-app-added'
  | 'authenticator-app-removed';

export type SmsKind = 'security-code' | 'phone-changed';

export interface EmailMessage {
  readonly kind: EmailKind;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface SmsMessage {
  readonly kind: SmsKind;
  /** E.164, e.g. +447700900123. */
  readonly to: string;
  readonly text: string;
}

/** Sends email; throws MessageNotSentError when the message could not be handed over. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/** Sends text messages; throws MessageNotSentError when the message could not be handed over. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}
