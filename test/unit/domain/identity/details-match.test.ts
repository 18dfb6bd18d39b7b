import { describe, expect, it } from 'vitest';
import type { DemographicsRecord } from '../../../../src/domain/identity/demographics.ts';
import {
  normaliseName,
  normalisePostcode,
  recordMatches,
} from '../../../../src/domain/identity/details-match.ts';

const record: DemographicsRecord = {
  nhsNumber: '9000000009',
  givenNames: ['Zoë', 'Anne'],
  familyName: "O'Brien-Smith",
  birthDate: '1980-10-22',
  deceased: false,
  postalCodes: ['LS1 6AE', 'LS2 7AA'],
  gpOdsCode: 'Y12345',
  mobileNumbers: [],
  nhsNumberVerified: true,
  restricted: false,
};
const typed = { birthDate: '1980-10-22', givenName: 'zoe', familyName: 'obrien smith', postcode: 'ls27aa' };

describe('the P5 match rules', () => {
  it('normalises names and postcodes as people write them', () => {
    expect(normaliseName(" Zoë O'Brien-Smith ")).toBe('zoeobriensmith');
    expect(normalisePostcode(' ls1  6ae')).toBe('LS16AE');
  });

  it('matches the first given name, family name, a current postcode and the date of birth', () => {
    expect(recordMatches(record, typed)).toBe(true);
  });

  it('matches by NHS number and date of birth alone, the record being that number’s', () => {
    expect(recordMatches(record, { birthDate: '1980-10-22', nhsNumber: '9000000009' })).toBe(true);
  });

  it.each([
    ['another date of birth', { ...typed, birthDate: '1980-10-23' }, record],
    ['a second given name instead of the first', { ...typed, givenName: 'Anne' }, record],
    ['another family name', { ...typed, familyName: 'Smith' }, record],
    ['a postcode not on the record', { ...typed, postcode: 'LS3 1AA' }, record],
    ['a deceased patient', typed, { ...record, deceased: true }],
    ['an NHS number PDS has not verified', typed, { ...record, nhsNumberVerified: false }],
    ['a restricted record, which has no postcode', typed, { ...record, restricted: true, postalCodes: [] }],
    ['a record without a date of birth', typed, { ...record, birthDate: undefined }],
  ])('does not match %s', (_case, details, candidate) => {
    expect(recordMatches(candidate, details)).toBe(false);
  });

  it('never matches a deceased patient by NHS number either', () => {
    expect(
      recordMatches({ ...record, deceased: true }, { birthDate: '1980-10-22', nhsNumber: '9000000009' }),
    ).toBe(false);
  });
});
