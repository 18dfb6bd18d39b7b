import type { FieldProblem } from '../invalid-input-error.ts';

const MAXIMUM_LENGTH = 254;
/** Something@something.tld with no spaces: the check the NHS design system's examples use. */
const PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The problems with an email address a patient entered, in the NHS style. */
export const checkEmailAddress = (email: string, field = 'email'): FieldProblem[] => {
  const trimmed = email.trim();
  if (trimmed === '') return [{ field, message: 'Enter your email address' }];
  if (trimmed.length > MAXIMUM_LENGTH)
    return [{ field, message: 'Enter an email address that is 254 characters or fewer' }];
  if (!PATTERN.test(trimmed)) {
    return [{ field, message: 'Enter an email address in the correct format, like name@example.com' }];
  }
  return [];
};
