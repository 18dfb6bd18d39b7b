import type { CommonPasswordList } from './common-passwords.ts';
import { normalisePassword } from './password-normalisation.ts';

/** Length limits, in Unicode code points after normalisation and without spaces around it (NIST SP 800-63B). */
export const passwordLength = { min: 8, max: 128 } as const;

/** Shorter local parts ("jo@...") would refuse too many good passwords for too little gain. */
const minimumLocalPartToRefuse = 3;

export type PasswordProblemCode =
  | 'password_missing'
  | 'password_only_spaces'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_too_common'
  | 'password_is_email'
  | 'password_includes_email';

/** Why a new password was refused: a stable `code` to switch on and a message for the patient. */
export interface PasswordProblem {
  readonly code: PasswordProblemCode;
  readonly message: string;
}

export interface NewPasswordContext {
  /** The patient's email address, as they gave it. */
  readonly email: string;
  readonly commonPasswords: CommonPasswordList;
}

const messages: Record<PasswordProblemCode, string> = {
  password_missing: 'Enter a password',
  password_only_spaces: 'Enter a password that is not only spaces',
  password_too_short: `Enter a password that is ${passwordLength.min} characters or more`,
  password_too_long: `Enter a password that is ${passwordLength.max} characters or fewer`,
  password_too_common: 'Enter a password that is harder to guess. This password is too common',
  password_is_email: 'Your password must not be your email address',
  password_includes_email: 'Your password must not include the part of your email address before the @',
};

const problem = (code: PasswordProblemCode): PasswordProblem => ({ code, message: messages[code] });

const codePoints = (text: string): number => [...text].length;

const comparable = (text: string): string => normalisePassword(text).trim().toLowerCase();

/**
 * Checks a new password (registration, reset, change) against NIST SP 800-63B: length only, no
 * composition rules, not a common password, not the email address or its local part. Returns
 * every problem found, most important first; an empty list means the password is acceptable.
 */
export const checkNewPassword = (password: string, context: NewPasswordContext): PasswordProblem[] => {
  const normalised = normalisePassword(password);
  if (codePoints(normalised) === 0) return [problem('password_missing')];
  // Spaces around a password are easy to type by mistake and add nothing to it: they are not
  // counted (the password kept is still what was typed, spaces and all).
  const length = codePoints(normalised.trim());
  if (length === 0) return [problem('password_only_spaces')];

  const lowercase = normalised.toLowerCase();
  const email = comparable(context.email);
  const localPart = email.slice(0, Math.max(0, email.lastIndexOf('@')));
  const problems: PasswordProblem[] = [];

  if (length < passwordLength.min) problems.push(problem('password_too_short'));
  if (length > passwordLength.max) problems.push(problem('password_too_long'));
  if (context.commonPasswords.has(lowercase)) problems.push(problem('password_too_common'));
  if (email.length > 0 && lowercase === email) {
    problems.push(problem('password_is_email'));
  } else if (codePoints(localPart) >= minimumLocalPartToRefuse && lowercase.includes(localPart)) {
    problems.push(problem('password_includes_email'));
  }
  return problems;
};
