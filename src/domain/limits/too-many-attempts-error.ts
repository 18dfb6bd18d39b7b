import { DomainError } from '../errors.ts';

/** Which limit refused the request: the patient page and the metrics switch on it. */
export type LimitReason =
  | 'password-delayed'
  | 'password-hard-stop'
  | 'code-entry-locked'
  | 'code-sends-exceeded'
  | 'phone-daily-cap'
  | 'ip-throttled'
  | 'email-sends-exceeded'
  | 'email-change-requests'
  | 'email-address-cap'
  | 'texts-per-network'
  | 'texts-per-account'
  | 'new-number-ceiling'
  | 'details-checks'
  | 'gp-checks'
  /** A member of staff gave a wrong password or authenticator code too many times (the review console). */
  | 'staff-login-locked'
  /** An account started too many passkey set-ups today. */
  | 'passkey-set-ups';

const descriptions: Record<LimitReason, string> = {
  'password-delayed': 'The wrong password was entered too many times: wait before trying again.',
  'password-hard-stop':
    'The wrong password was entered too many times: unlock the account or reset the password.',
  'code-entry-locked': 'You entered the wrong security code too many times.',
  'code-sends-exceeded': 'You asked for too many security codes.',
  'phone-daily-cap': 'Too many security codes have been sent to this phone number today.',
  'ip-throttled': 'There have been too many attempts to log in from your network.',
  'email-sends-exceeded': 'Too many emails have been asked for from your network.',
  'email-change-requests': 'You asked to change your email address too many times.',
  'email-address-cap': 'Too many emails have been sent to this email address.',
  'texts-per-network': 'Too many text messages have been asked for from your network.',
  'texts-per-account': 'Too many text messages have been sent to this account today.',
  'new-number-ceiling':
    'Too many text messages are going to new phone numbers: none are sent to new numbers for a while.',
  'details-checks': 'Your details have been checked too many times today.',
  'gp-checks': 'Your GP online services details have been checked too many times today.',
  'staff-login-locked':
    'The wrong password or authenticator code was entered too many times: wait before trying again.',
  'passkey-set-ups': 'You have tried to set up a passkey too many times today.',
};

/**
 * A limit refused the request. `retryAt` is when the patient may try again; the page says so.
 * The same error, at the same point, whether or not the account exists.
 */
export class TooManyAttemptsError extends DomainError {
  readonly code = 'too_many_attempts';
  readonly status = 429;
  readonly reason: LimitReason;
  readonly retryAt: Date;

  constructor(reason: LimitReason, retryAt: Date) {
    super(descriptions[reason], { logDetail: reason });
    this.reason = reason;
    this.retryAt = retryAt;
  }
}
