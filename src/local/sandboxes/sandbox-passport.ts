import { readFileSync } from 'node:fs';
import { type SandboxMarker, withSandboxMarker } from '../../adapters/local/sandbox-image-marker.ts';
import type { TestPatient } from './test-patients.ts';

/**
 * ICAO 9303's check digit: weights 7, 3, 1 over digits, letters (A=10) and fillers (0). Only to
 * make sandbox documents: what the service reads is checked by the `mrz` library, never by this.
 */
const checkDigit = (value: string): string =>
  String(
    [...value].reduce((sum, character, index) => {
      const code =
        character === '<' ? 0 : /\d/.test(character) ? Number(character) : character.charCodeAt(0) - 55;
      return sum + code * ([7, 3, 1][index % 3] as number);
    }, 0) % 10,
  );

const pad = (value: string, length: number) => value.padEnd(length, '<').slice(0, length);
const zoneLetters = (value: string) =>
  value
    .toUpperCase()
    .normalize('NFD')
    .replace(/[^A-Z ]/g, '')
    .trim()
    .replace(/ +/g, '<');

/** A passport's two zone lines (TD3), every check digit right. */
export const passportZone = (person: {
  readonly surname: string;
  readonly givenNames: string;
  /** YYMMDD. */
  readonly birthDate: string;
  readonly expiryDate: string;
  readonly documentNumber?: string;
  readonly nationality?: string;
  readonly sex?: 'M' | 'F';
}): [string, string] => {
  const nationality = person.nationality ?? 'GBR';
  const line1 = pad(`P<${nationality}${zoneLetters(person.surname)}<<${zoneLetters(person.givenNames)}`, 44);
  const documentNumber = pad(person.documentNumber ?? '123456789', 9);
  const personal = pad('', 14);
  const parts = [
    `${documentNumber}${checkDigit(documentNumber)}`,
    `${person.birthDate}${checkDigit(person.birthDate)}`,
    `${person.expiryDate}${checkDigit(person.expiryDate)}`,
    `${personal}${checkDigit(personal)}`,
  ];
  const composite = checkDigit(parts.join(''));
  return [
    line1,
    `${parts[0]}${nationality}${parts[1]}${person.sex ?? 'F'}${parts[2]}${parts[3]}${composite}`,
  ];
};

/** A picture of a card that says it is not a real document; the sandboxes read the marker, not it. */
const picture = () => readFileSync(new URL('./sandbox-passport.jpg', import.meta.url));

/** What a test patient's sandbox passport tells the sandboxes: their face, and the text with the zone. */
export const sandboxPassportMarker = (patient: TestPatient, now: Date): SandboxMarker => {
  const expiry = new Date(Date.UTC(now.getUTCFullYear() + 5, 0, 1));
  const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  return {
    face: `test-patient-${patient.nhsNumber}`,
    text: [
      'PASSPORT',
      patient.family.toUpperCase(),
      patient.given.join(' ').toUpperCase(),
      patient.birthDate,
      ...passportZone({
        surname: patient.family,
        givenNames: patient.given.join(' '),
        birthDate: yymmdd(patient.birthDate),
        expiryDate: yymmdd(expiry.toISOString().slice(0, 10)),
        documentNumber: patient.nhsNumber.slice(1),
      }),
    ],
  };
};

/** A test patient's sandbox passport photo: the card picture with the patient's marker. */
export const sandboxPassportPhoto = (patient: TestPatient, now: Date): Buffer =>
  withSandboxMarker(picture(), sandboxPassportMarker(patient, now));
