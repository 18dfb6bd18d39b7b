import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { FieldProblem } from '../invalid-input-error.ts';

/** Ofcom's drama range (07700 900000 to 900999): never a real phone, so the local stack takes them as test numbers. */
const TEST_NUMBERS = /^\+447700900\d{3}$/;

/**
 * Jersey, Guernsey and the Isle of Man: +44 numbers that libphonenumber files under their own
 * country codes, not GB. Refused unless allowed (their health services are not the NHS, and
 * Isle of Man mobile ranges are a known target of SMS pumping), with a message that says why.
 */
const CROWN_DEPENDENCIES: readonly string[] = ['JE', 'GG', 'IM'];

export type MobileNumberCheck =
  | { readonly ok: true; readonly e164: string }
  | { readonly ok: false; readonly problem: FieldProblem };

/**
 * A mobile number a patient typed, in any usual format (07700 900123, +44 7700 900123), as E.164;
 * only mobile numbers of the allowed countries (the UK by default) can receive security codes.
 */
export const checkMobileNumber = (
  input: string,
  options: { allowedCountries?: readonly string[]; allowTestNumbers?: boolean } = {},
  field = 'phoneNumber',
): MobileNumberCheck => {
  const allowedCountries = options.allowedCountries ?? ['GB'];
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: { field, message: 'Enter your mobile phone number' } };
  const parsed = parsePhoneNumberFromString(trimmed, 'GB');
  if (options.allowTestNumbers && parsed && TEST_NUMBERS.test(parsed.number))
    return { ok: true, e164: parsed.number };
  if (!parsed?.isValid()) {
    return {
      ok: false,
      problem: { field, message: 'Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982' },
    };
  }
  const type = parsed.getType();
  const mobile = type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
  if (!parsed.country || !allowedCountries.includes(parsed.country)) {
    const message =
      mobile && CROWN_DEPENDENCIES.includes(parsed.country ?? '')
        ? 'Enter a mobile phone number from England, Scotland, Wales or Northern Ireland. We cannot send security codes to Jersey, Guernsey or Isle of Man numbers'
        : 'Enter a UK mobile phone number';
    return { ok: false, problem: { field, message } };
  }
  if (!mobile) {
    return { ok: false, problem: { field, message: 'Enter a mobile phone number, not a landline' } };
  }
  return { ok: true, e164: parsed.number };
};

/** The last 3 digits only, for pages that say where a code went. */
export const maskPhoneNumber = (e164: string): string => `ending ${e164.slice(-3)}`;
