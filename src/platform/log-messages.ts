import type { LimitReason } from '../domain/limits/too-many-attempts-error.ts';
import type { PatientProblem } from '../domain/patient-problems.ts';

interface LogMessage {
  readonly messageCode: string;
  readonly message: string;
}

/**
 * Every log message, with a stable code to search and alarm on. Messages carry no personal data;
 * the attributes logged with them are chosen to carry none either.
 */
export const logMessages = {
  requestCompleted: { messageCode: 'PL_HTTP_REQUEST_COMPLETED', message: 'Request completed' },
  requestRejected: {
    messageCode: 'PL_HTTP_REQUEST_REJECTED',
    message: 'Request rejected with a typed error',
  },
  inputTooLong: {
    messageCode: 'PL_HTTP_INPUT_TOO_LONG',
    message: 'Request refused: a parameter is longer than its limit',
  },
  gpCredentialsUnopened: {
    messageCode: 'PL_GP_CREDENTIALS_UNOPENED',
    message: 'GP integration credentials could not be opened; the claim was left out',
  },
  unexpectedError: {
    messageCode: 'PL_HTTP_UNEXPECTED_ERROR',
    message: 'Request failed with an unexpected error',
  },
  photoIdCheckOverdue: {
    messageCode: 'PL_PHOTO_ID_CHECK_OVERDUE',
    message: 'A photo-ID check passed its review deadline without a decision',
  },
  photoIdCheckFailed: {
    messageCode: 'PL_PHOTO_ID_CHECK_FAILED',
    message: 'A photo-ID check could not finish: ops must look at it',
  },
  photoIdTaskFailed: {
    messageCode: 'PL_PHOTO_ID_TASK_FAILED',
    message: 'A photo-ID workflow task failed; Step Functions retries or catches it',
  },
  photoIdOutcomeEmailFailed: {
    messageCode: 'PL_PHOTO_ID_OUTCOME_EMAIL_FAILED',
    message: 'The outcome email of a photo-ID check could not be sent after retries',
  },
  loginAssertionRefused: {
    messageCode: 'PL_SSO_ASSERTION_REFUSED',
    message: 'asserted_login_identity refused: the patient logs in afresh',
  },
} as const satisfies Record<string, LogMessage>;

/**
 * One code for each limit that refuses a request, logged (at warn) instead of the generic
 * rejection, so each can have its own metric filter and alarm: the ceiling on texts to new
 * numbers, above all, means SMS pumping is under way. The type makes a new limit without a code
 * a compile error.
 */
export const limitLogMessages = {
  'passkey-set-ups': {
    messageCode: 'PL_LIMIT_PASSKEY_SET_UPS',
    message: 'Passkey set-ups refused for the account',
  },
  'staff-login-locked': {
    messageCode: 'PL_LIMIT_STAFF_LOGIN_LOCKED',
    message: 'Review console login locked after too many wrong passwords or codes',
  },
  'password-delayed': { messageCode: 'PL_LIMIT_PASSWORD_DELAYED', message: 'Password attempt delayed' },
  'password-hard-stop': {
    messageCode: 'PL_LIMIT_PASSWORD_HARD_STOP',
    message: 'Password login stopped after too many consecutive failures',
  },
  'ip-throttled': {
    messageCode: 'PL_LIMIT_PASSWORD_NETWORK',
    message: 'Network refused after too many wrong passwords',
  },
  'code-entry-locked': { messageCode: 'PL_LIMIT_CODE_ENTRY_LOCKED', message: 'Security code entry locked' },
  'code-sends-exceeded': {
    messageCode: 'PL_LIMIT_CODE_SENDS_ACCOUNT',
    message: 'Security code sends refused for the account',
  },
  'phone-daily-cap': {
    messageCode: 'PL_LIMIT_CODE_SENDS_DESTINATION',
    message: 'Security code sends refused for the destination',
  },
  'email-sends-exceeded': {
    messageCode: 'PL_LIMIT_EMAILS_NETWORK',
    message: 'Emails refused for the network',
  },
  'email-change-requests': {
    messageCode: 'PL_LIMIT_EMAIL_CHANGES_ACCOUNT',
    message: 'Email address changes refused for the account',
  },
  'email-address-cap': {
    messageCode: 'PL_LIMIT_EMAILS_ADDRESS',
    message: 'Emails refused for the target address',
  },
  'texts-per-network': {
    messageCode: 'PL_LIMIT_TEXTS_NETWORK',
    message: 'Text messages refused for the network',
  },
  'texts-per-account': {
    messageCode: 'PL_LIMIT_TEXTS_ACCOUNT',
    message: 'Text messages refused for the account',
  },
  'new-number-ceiling': {
    messageCode: 'PL_LIMIT_NEW_NUMBER_TEXTS_CEILING',
    message: 'Service-wide ceiling on texts to new phone numbers reached',
  },
  'details-checks': {
    messageCode: 'PL_LIMIT_DETAILS_CHECKS',
    message: 'Details checks per account reached',
  },
  'gp-checks': {
    messageCode: 'PL_LIMIT_GP_CHECKS',
    message: 'GP details checks per account reached',
  },
} as const satisfies Record<LimitReason, LogMessage>;

/**
 * One code for each problem page a patient can be shown, logged (at info) instead of the generic
 * rejection: a rise in, say, `PL_PROBLEM_RECOVERY_NEEDS_SECOND_FACTOR` shows someone trying to
 * reset passwords with mailboxes alone.
 */
export const problemLogMessages = {
  'confirmation-link-expired': {
    messageCode: 'PL_PROBLEM_CONFIRMATION_LINK_EXPIRED',
    message: 'Confirmation link expired',
  },
  'confirmation-link-used': {
    messageCode: 'PL_PROBLEM_CONFIRMATION_LINK_USED',
    message: 'Confirmation link used',
  },
  'confirmation-link-replaced': {
    messageCode: 'PL_PROBLEM_CONFIRMATION_LINK_REPLACED',
    message: 'Confirmation link replaced by a newer registration',
  },
  'nhs-number-problem': {
    messageCode: 'PL_PROBLEM_NHS_NUMBER',
    message: 'PDS has no usable record for the account NHS number at login',
  },
  'account-disabled': { messageCode: 'PL_PROBLEM_ACCOUNT_DISABLED', message: 'Account disabled' },
  'account-suspended': { messageCode: 'PL_PROBLEM_ACCOUNT_SUSPENDED', message: 'Account suspended' },
  'password-reset-required': {
    messageCode: 'PL_PROBLEM_PASSWORD_RESET_REQUIRED',
    message: 'Login refused until the password support required is reset',
  },
  'pds-unavailable': {
    messageCode: 'PL_PROBLEM_PDS_UNAVAILABLE',
    message: 'PDS could not be reached to check an NHS number',
  },
  'method-not-allowed': {
    messageCode: 'PL_PROBLEM_METHOD_NOT_ALLOWED',
    message: 'A route asked for with a method it does not take',
  },
  'confirmation-resend-expired': {
    messageCode: 'PL_PROBLEM_CONFIRMATION_RESEND_EXPIRED',
    message: 'Confirmation email asked for again after its registration ended',
  },
  'unknown-service': { messageCode: 'PL_PROBLEM_UNKNOWN_SERVICE', message: 'Unknown relying party' },
  'reset-link-expired': { messageCode: 'PL_PROBLEM_RESET_LINK_EXPIRED', message: 'Reset link expired' },
  'reset-link-used': { messageCode: 'PL_PROBLEM_RESET_LINK_USED', message: 'Reset link used' },
  'reset-link-broken': { messageCode: 'PL_PROBLEM_RESET_LINK_BROKEN', message: 'Reset link broken' },
  'reset-link-replaced': {
    messageCode: 'PL_PROBLEM_RESET_LINK_REPLACED',
    message: 'Reset link replaced or ended',
  },
  'unlock-link-expired': {
    messageCode: 'PL_PROBLEM_UNLOCK_LINK_EXPIRED',
    message: 'Unlock link expired or replaced',
  },
  'unlock-link-used': { messageCode: 'PL_PROBLEM_UNLOCK_LINK_USED', message: 'Unlock link used' },
  'recovery-needs-second-factor': {
    messageCode: 'PL_PROBLEM_RECOVERY_NEEDS_SECOND_FACTOR',
    message: 'Recovery finished without its second factor refused',
  },
  'lost-phone': { messageCode: 'PL_PROBLEM_LOST_PHONE', message: 'Patient without their phone sent to help' },
  'email-change-link-expired': {
    messageCode: 'PL_PROBLEM_EMAIL_CHANGE_LINK_EXPIRED',
    message: 'Email change link expired or ended',
  },
  'email-change-link-used': {
    messageCode: 'PL_PROBLEM_EMAIL_CHANGE_LINK_USED',
    message: 'Email change link used',
  },
  'email-change-report-expired': {
    messageCode: 'PL_PROBLEM_EMAIL_CHANGE_REPORT_EXPIRED',
    message: 'Email change report link no longer usable',
  },
  'phone-cancel-link-expired': {
    messageCode: 'PL_PROBLEM_PHONE_CANCEL_LINK_EXPIRED',
    message: 'Phone change undo link expired',
  },
  'phone-cancel-link-used': {
    messageCode: 'PL_PROBLEM_PHONE_CANCEL_LINK_USED',
    message: 'Phone change undo link used',
  },
  'page-not-found': { messageCode: 'PL_PROBLEM_PAGE_NOT_FOUND', message: 'Page not found' },
  'session-expired': {
    messageCode: 'PL_PROBLEM_SESSION_EXPIRED',
    message: 'Session ended or form token wrong',
  },
  'email-address-taken': {
    messageCode: 'PL_PROBLEM_EMAIL_ADDRESS_TAKEN',
    message: 'New email address already has an account',
  },
  'invalid-redirect': { messageCode: 'PL_PROBLEM_INVALID_REDIRECT', message: 'Unregistered redirect URI' },
  'authorization-replaced': {
    messageCode: 'PL_PROBLEM_AUTHORIZATION_REPLACED',
    message: 'Post from a page of an earlier authorization request refused',
  },
  'gp-details-used': {
    messageCode: 'PL_PROBLEM_GP_DETAILS_USED',
    message: 'GP online-services details already used for another account',
  },
  'gp-unavailable': {
    messageCode: 'PL_PROBLEM_GP_UNAVAILABLE',
    message: 'GP practice system unavailable or refused the link',
  },
  'gp-link-failed': {
    messageCode: 'PL_PROBLEM_GP_LINK_FAILED',
    message: 'GP link cannot be made: PDS has no usable matching record',
  },
  'identity-mismatch': {
    messageCode: 'PL_PROBLEM_IDENTITY_MISMATCH',
    message: 'P5 and P9 evidence name different NHS numbers; account suspended',
  },
  'pds-unavailable-proving': {
    messageCode: 'PL_PROBLEM_PDS_UNAVAILABLE_PROVING',
    message: 'PDS unavailable while proving identity',
  },
  'photo-id-upload-failed': {
    messageCode: 'PL_PROBLEM_PHOTO_ID_UPLOAD_FAILED',
    message: 'A photo-ID upload did not reach the media store',
  },
} as const satisfies Record<PatientProblem, LogMessage>;
