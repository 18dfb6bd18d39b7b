import type { DemographicsRecord } from './demographics.ts';

/**
 * Names compared as people write them: case, accents, spaces, hyphens, apostrophes and full
 * stops ignored ("O'Brien" is "obrien", "Zoë" is "zoe", "Smith-Jones" is "smithjones").
 */
export const normaliseName = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-'’.]/g, '');

/** Postcodes compared without case or spaces ("ls1 6ae" is "LS16AE"). */
export const normalisePostcode = (postcode: string): string => postcode.replace(/\s+/g, '').toUpperCase();

/** What the patient typed to prove who they are at P5: their date of birth, and an NHS number or name and postcode. */
export type TypedDetails =
  | { readonly birthDate: string; readonly nhsNumber: string }
  | {
      readonly birthDate: string;
      readonly givenName: string;
      readonly familyName: string;
      readonly postcode: string;
    };

/**
 * Whether a PDS record is the patient's by what they typed. Always: the date of birth exactly,
 * and a record that can be used (no death recorded, an NHS number PDS has verified). With an NHS
 * number, the record is that number's (PDS retrieved it). Without one: the first given name and
 * the family name, normalised, and a current postcode of the record, normalised. A restricted
 * record has no postcode to compare, so it can match only by NHS number.
 */
export const recordMatches = (record: DemographicsRecord, typed: TypedDetails): boolean => {
  if (record.deceased || !record.nhsNumberVerified || record.birthDate !== typed.birthDate) return false;
  if ('nhsNumber' in typed) return true;
  const given = record.givenNames[0];
  return (
    given !== undefined &&
    record.familyName !== undefined &&
    normaliseName(given) === normaliseName(typed.givenName) &&
    normaliseName(record.familyName) === normaliseName(typed.familyName) &&
    record.postalCodes.some((postcode) => normalisePostcode(postcode) === normalisePostcode(typed.postcode))
  );
};
