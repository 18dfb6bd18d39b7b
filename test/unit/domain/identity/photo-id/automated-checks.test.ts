import { describe, expect, it } from 'vitest';
import {
  ageOn,
  checkExpiry,
  readMrz,
  type TextLine,
} from '../../../../../src/domain/identity/photo-id/automated-checks.ts';
import type { DetailsMatch } from '../../../../../src/domain/identity/photo-id/photo-id-check.ts';
import { janeSmithZone, passportZone } from '../../../../support/id-fixtures.ts';

const now = new Date('2026-12-02T10:00:00Z');
const asLines = (texts: readonly string[], confidence = 99): TextLine[] =>
  texts.map((text) => ({ text, confidence }));
const janeRecord: DetailsMatch = {
  kind: 'matched',
  nhsNumber: '9000000009',
  givenName: 'Jane',
  familyName: 'Smith',
  birthDate: '1980-10-22',
  checkedAt: now.toISOString(),
};

describe('reading the machine-readable zone', () => {
  it('reads a passport’s zone among the ID’s text, with its check digits, and compares it with the NHS record', () => {
    // Act
    const reading = readMrz(
      'passport',
      asLines(['PASSPORT', 'SMITH', ...janeSmithZone()]),
      { match: janeRecord },
      now,
    );

    // Assess
    expect(reading).toMatchObject({
      kind: 'read',
      format: 'TD3',
      valid: true,
      documentNumber: '123456789',
      surname: 'SMITH',
      givenNames: 'JANE',
      birthDate: '1980-10-22',
      expiryDate: '2031-05-01',
      nationality: 'GBR',
      surnameMatches: true,
      birthDateMatches: true,
    });
  });

  it('reads the zone as OCR gives it: spaces inside, lower case, and « for <', () => {
    // Prepare
    const [first, second] = janeSmithZone();
    const spaced = [first.replace('<<JANE', ' «« jane'), `${second.slice(0, 20)} ${second.slice(20)}`];

    // Act
    const reading = readMrz('passport', asLines(spaced), { match: janeRecord }, now);

    // Assess
    expect(reading).toMatchObject({ kind: 'read', valid: true, surname: 'SMITH' });
  });

  it('says which check digit is wrong, and that another person’s zone does not match the record', () => {
    // Prepare
    const [first, second] = passportZone({
      surname: 'JONES',
      givenNames: 'ANN',
      birthDate: '750101',
      expiryDate: '300101',
    });
    const tampered = `${second.slice(0, 13)}8${second.slice(14)}`;

    // Act
    const other = readMrz('passport', asLines([first, second]), { match: janeRecord }, now);
    const wrongDigit = readMrz('passport', asLines([first, tampered]), { match: janeRecord }, now);

    // Assess
    expect(other).toMatchObject({
      kind: 'read',
      valid: true,
      surnameMatches: false,
      birthDateMatches: false,
    });
    expect(wrongDigit).toMatchObject({ kind: 'read', valid: false });
    expect(
      wrongDigit.kind === 'read' &&
        wrongDigit.checks.filter((check) => !check.valid).map((check) => check.label),
    ).toContain('Birth date check digit');
  });

  it('says a UK driving licence has no zone, and that none was found when the text has none', () => {
    // Act
    const licence = readMrz('uk-driving-licence', asLines(janeSmithZone()), { match: janeRecord }, now);
    const none = readMrz('passport', asLines(['PASSPORT', 'SMITH']), { match: janeRecord }, now);
    const garbled = readMrz('eu-identity-card', asLines(['I<FRA<<<<<<<<<<<<<<<<<<<<<<<', '<<<<']), {}, now);

    // Assess
    expect(licence).toEqual({ kind: 'not-on-this-id' });
    expect(none).toEqual({ kind: 'not-found' });
    expect(garbled).toEqual({ kind: 'not-found' });
  });

  it('compares with the details entered when no NHS record matched', () => {
    // Act
    const reading = readMrz(
      'passport',
      asLines(janeSmithZone()),
      { details: { birthDate: '1980-10-22', givenName: 'Jane', familyName: 'Smith', postcode: 'LS1 4AP' } },
      now,
    );

    // Assess
    expect(reading).toMatchObject({ surnameMatches: true, birthDateMatches: true });
  });
});

describe('expiry and age', () => {
  it('tells in date, expired within the 12 months allowed, and expired before them, from the zone or a licence’s field 4b', () => {
    // Prepare
    const zoneExpiring = (expiryDate: string) =>
      readMrz(
        'passport',
        asLines(passportZone({ surname: 'SMITH', givenNames: 'JANE', birthDate: '801022', expiryDate })),
        {},
        now,
      );

    // Act
    const inDate = checkExpiry(zoneExpiring('270101'), [], now);
    const inGrace = checkExpiry(zoneExpiring('260301'), [], now);
    const expired = checkExpiry(zoneExpiring('251101'), [], now);
    const licence = checkExpiry(
      { kind: 'not-on-this-id' },
      asLines(['4a. 19.01.2023', '4b. 18.01.2033']),
      now,
    );
    const unknown = checkExpiry({ kind: 'not-found' }, asLines(['SMITH']), now);

    // Assess
    expect(inDate).toEqual({ kind: 'in-date', expiryDate: '2027-01-01' });
    expect(inGrace).toEqual({ kind: 'in-grace', expiryDate: '2026-03-01' });
    expect(expired).toEqual({ kind: 'expired', expiryDate: '2025-11-01' });
    expect(licence).toEqual({ kind: 'in-date', expiryDate: '2033-01-18' });
    expect(unknown).toEqual({ kind: 'unknown' });
  });

  it('counts whole years, the birthday itself included', () => {
    // Assess
    expect(ageOn('1980-10-22', now)).toBe(46);
    expect(ageOn('1980-12-02', now)).toBe(46);
    expect(ageOn('1980-12-03', now)).toBe(45);
  });
});
