// validator is CommonJS: its default export is the module, whose `default` is the check.
import isEmailModule from 'validator/lib/isEmail.js';
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

/** The most characters before the @ that mail systems must accept (RFC 5321 4.5.3.1.1). */
const MAXIMUM_LOCAL_PART = 64;

/**
 * The problems with an email address being given to the service for the first time (creating an
 * account, changing its address): `checkEmailAddress`, then a maintained validator's stricter
 * check (validator's isEmail), so an address no mail system would deliver to (`x@example..org`,
 * a part before the @ over 64 characters, characters mail does not carry) is refused while it can
 * still be corrected, and real-world ones (plus tags, apostrophes, subdomains) are not. Never used
 * where a patient gives an address they already use (logging in, a reset), so no existing account
 * is shut out.
 */
export const checkNewEmailAddress = (
  email: string,
  options: { readonly field?: string; readonly emptyMessage?: string } = {},
): FieldProblem[] => {
  const field = options.field ?? 'email';
  const trimmed = email.trim();
  if (trimmed === '') return [{ field, message: options.emptyMessage ?? 'Enter your email address' }];
  const basic = checkEmailAddress(trimmed, field);
  if (basic.length > 0) return basic;
  const localPart = trimmed.slice(0, trimmed.lastIndexOf('@'));
  if ([...localPart].length > MAXIMUM_LOCAL_PART)
    return [{ field, message: 'Enter an email address with 64 characters or fewer before the @' }];
  const deliverable = isEmailModule.default(trimmed, {
    allow_display_name: false,
    allow_ip_domain: false,
    require_tld: true,
    allow_utf8_local_part: false,
  });
  return deliverable
    ? []
    : [{ field, message: 'Enter an email address in the correct format, like name@example.com' }];
};
