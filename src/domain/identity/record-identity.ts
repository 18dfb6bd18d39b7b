import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Account } from '../accounts/account.ts';
import type { FieldProblem } from '../invalid-input-error.ts';
import type { DemographicsRecord } from './demographics.ts';
import type { VerifiedIdentity } from './verified-identity.ts';

/** A date of birth typed in three fields (day, month, year). */
export interface TypedBirthDate {
  readonly day: string;
  readonly month: string;
  readonly year: string;
}

/**
 * The date of birth as YYYY-MM-DD, or '' with a problem for the `birthDate` field: missing, not
 * a real date, or not in the past (nor before 1900).
 */
export const readBirthDate = (form: TypedBirthDate, now: Date, problems: FieldProblem[]): string => {
  const [day, month, year] = [form.day, form.month, form.year].map((part) => part.trim());
  if (!day || !month || !year) {
    problems.push({ field: 'birthDate', message: 'Enter your date of birth' });
    return '';
  }
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const real =
    /^\d{1,2}$/.test(day) &&
    /^\d{1,2}$/.test(month) &&
    /^\d{4}$/.test(year) &&
    date.getUTCDate() === Number(day) &&
    date.getUTCMonth() === Number(month) - 1;
  if (!real) {
    problems.push({ field: 'birthDate', message: 'Date of birth must be a real date' });
    return '';
  }
  if (date.getTime() > now.getTime() || Number(year) < 1900) {
    problems.push({ field: 'birthDate', message: 'Date of birth must be in the past' });
    return '';
  }
  return date.toISOString().slice(0, 10);
};

/** What the account keeps from a patient's PDS record: what the claims carry, never the address. */
export const identityOf = (record: DemographicsRecord, account: Account): VerifiedIdentity => ({
  nhsNumber: record.nhsNumber,
  givenName: record.givenNames[0],
  familyName: record.familyName,
  birthdate: record.birthDate,
  gpOdsCode: record.gpOdsCode,
  phoneNumberPdsMatched:
    account.phoneNumber !== undefined &&
    record.mobileNumbers.some(
      (mobile) => parsePhoneNumberFromString(mobile, 'GB')?.number === account.phoneNumber,
    ),
});
