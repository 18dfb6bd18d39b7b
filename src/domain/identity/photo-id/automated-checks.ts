import { parse as parseMrz } from 'mrz';
import { DomainError } from '../../errors.ts';
import type { TypedDetails } from '../details-match.ts';
import type { DetailsMatch, PhotoIdType } from './photo-id-check.ts';

/** Compares the face on the ID's photo with the face in the still from the video (Rekognition CompareFaces). */
export interface FaceComparison {
  compare(idPhoto: Uint8Array, still: Uint8Array): Promise<FaceComparisonResult>;
}

export type FaceComparisonResult =
  | {
      readonly kind: 'compared';
      /** 0 to 100: how alike the two faces are (the best match of the still's faces). */
      readonly similarity: number;
      /** 0 to 100: how sure the service is that what it compared on each image is a face. */
      readonly photoFaceConfidence: number;
      readonly stillFaceConfidence: number;
    }
  | { readonly kind: 'no-face'; readonly in: 'photo' | 'still' };

/** Reads the text on the ID's photo (Textract DetectDocumentText), line by line. */
export interface DocumentText {
  detect(idPhoto: Uint8Array): Promise<readonly TextLine[]>;
}

export interface TextLine {
  readonly text: string;
  /** 0 to 100. */
  readonly confidence: number;
}

/** An automated check's service could not be reached or refused the image: the check says so, the review goes on. */
export class AutomatedCheckUnavailableError extends DomainError {
  readonly code = 'automated_check_unavailable';
  readonly status = 503;
}

/** The largest image each service takes by value (Rekognition 5 MB, Textract 10 MB). */
export const automatedCheckImageLimits = { face: 5 * 1024 * 1024, text: 10 * 1024 * 1024 } as const;

export type NotRun = {
  readonly kind: 'not-run';
  readonly why: 'no-still' | 'too-large' | 'unavailable';
};

/** The machine-readable zone, read with `mrz` (ICAO 9303 check digits), and how it compares. */
export type MrzReading =
  | { readonly kind: 'not-on-this-id' }
  | { readonly kind: 'not-found' }
  | {
      readonly kind: 'read';
      readonly format: string;
      /** Every check digit and field as the library checked it. */
      readonly valid: boolean;
      readonly checks: readonly { readonly label: string; readonly valid: boolean }[];
      readonly documentNumber?: string;
      readonly surname?: string;
      readonly givenNames?: string;
      /** ISO dates. */
      readonly birthDate?: string;
      readonly expiryDate?: string;
      readonly nationality?: string;
      /** Against the NHS record when one matched, else the details entered; undefined when there is nothing to compare. */
      readonly surnameMatches?: boolean;
      readonly birthDateMatches?: boolean;
    };

export type ExpiryCheck =
  | { readonly kind: 'in-date' | 'in-grace' | 'expired'; readonly expiryDate: string }
  | { readonly kind: 'unknown' };

/** What the automated checks found, shown to the reviewer with their confidence; none of it decides. */
export interface AutomatedCheckResults {
  readonly ranAt: string;
  readonly face: FaceComparisonResult | NotRun;
  readonly text: { readonly kind: 'read'; readonly lines: readonly TextLine[] } | NotRun;
  readonly mrz: MrzReading;
  readonly expiry: ExpiryCheck;
  /** Whole years on the day of the check, from the NHS record's date of birth, else the one entered. */
  readonly age?: { readonly years: number; readonly from: 'nhs-record' | 'entered' };
}

/** IDs that carry a machine-readable zone (a UK driving licence has none). */
const idsWithMrz: readonly PhotoIdType[] = ['passport', 'eu-identity-card'];

/** An ID that expired up to 12 months ago is accepted (the rejection reason `id-expired` says so). */
const EXPIRY_GRACE_MONTHS = 12;

/** The zone's lines among the text: 2 of 44 (passports), 2 of 36, or 3 of 30 (identity cards). */
const mrzLinesIn = (lines: readonly TextLine[]): string[] | undefined => {
  const candidates = lines
    .map((line) => line.text.toUpperCase().replace(/\s+/g, '').replace(/[«‹]/g, '<'))
    .filter((text) => /^[A-Z0-9<]+$/.test(text) && text.includes('<'));
  for (const [length, count] of [
    [44, 2],
    [36, 2],
    [30, 3],
  ] as const) {
    const run = candidates.filter((text) => text.length === length);
    if (run.length >= count) return run.slice(-count);
  }
  return undefined;
};

/** YYMMDD as an ISO date: a birth date is never in the future; an expiry date is this century. */
const mrzDate = (
  value: string | null | undefined,
  kind: 'birth' | 'expiry',
  now: Date,
): string | undefined => {
  if (!value || !/^\d{6}$/.test(value)) return undefined;
  const yy = Number(value.slice(0, 2));
  const thisYear = now.getUTCFullYear() % 100;
  const century = kind === 'expiry' ? 2000 : yy > thisYear ? 1900 : 2000;
  return `${century + yy}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
};

const lettersOf = (name: string | undefined) => (name ?? '').toUpperCase().replace(/[^A-Z]/g, '');

/** The names and date of birth the zone is compared with: the NHS record's when one matched, else those entered. */
const referenceOf = (details: TypedDetails | undefined, match: DetailsMatch | undefined) => {
  if (match?.kind === 'matched') return { familyName: match.familyName, birthDate: match.birthDate };
  if (!details) return { familyName: undefined, birthDate: undefined };
  return {
    familyName: 'familyName' in details ? details.familyName : undefined,
    birthDate: details.birthDate,
  };
};

/** Reads the zone from the ID's text (with `mrz`), and compares it with the record or the details. */
export const readMrz = (
  idType: PhotoIdType | undefined,
  lines: readonly TextLine[],
  reference: { readonly details?: TypedDetails | undefined; readonly match?: DetailsMatch | undefined },
  now: Date,
): MrzReading => {
  if (!idType || !idsWithMrz.includes(idType)) {
    // A European driving licence may carry one (France, Switzerland): read it when it is there.
    if (idType !== 'eu-driving-licence') return { kind: 'not-on-this-id' };
  }
  const zone = mrzLinesIn(lines);
  if (!zone) return { kind: 'not-found' };
  let parsed: ReturnType<typeof parseMrz>;
  try {
    parsed = parseMrz(zone);
  } catch {
    return { kind: 'not-found' };
  }
  const { fields } = parsed;
  const birthDate = mrzDate(fields.birthDate, 'birth', now);
  const expiryDate = mrzDate(fields.expirationDate, 'expiry', now);
  const { familyName, birthDate: referenceBirthDate } = referenceOf(reference.details, reference.match);
  const surname = fields.lastName ?? undefined;
  return {
    kind: 'read',
    format: parsed.format,
    valid: parsed.valid,
    checks: parsed.details
      .filter((detail) => detail.field !== null)
      .map((detail) => ({ label: detail.label, valid: detail.valid })),
    ...(parsed.documentNumber ? { documentNumber: parsed.documentNumber } : {}),
    ...(surname ? { surname } : {}),
    ...(fields.firstName ? { givenNames: fields.firstName } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(expiryDate ? { expiryDate } : {}),
    ...(fields.nationality ? { nationality: fields.nationality } : {}),
    ...(familyName && surname ? { surnameMatches: lettersOf(familyName) === lettersOf(surname) } : {}),
    ...(referenceBirthDate && birthDate ? { birthDateMatches: referenceBirthDate === birthDate } : {}),
  };
};

/** A UK photocard licence's expiry, field 4b (`4b. 19.01.2033`), from its text. */
const licenceExpiry = (lines: readonly TextLine[]): string | undefined => {
  for (const { text } of lines) {
    const found = /\b4b\.?\s*(\d{2})[./](\d{2})[./](\d{4})\b/i.exec(text);
    if (found) return `${found[3]}-${found[2]}-${found[1]}`;
  }
  return undefined;
};

/** In date, expired within the 12-month grace, or expired before it: from the zone, or a licence's field 4b. */
export const checkExpiry = (mrz: MrzReading, lines: readonly TextLine[], now: Date): ExpiryCheck => {
  const expiryDate = (mrz.kind === 'read' ? mrz.expiryDate : undefined) ?? licenceExpiry(lines);
  if (!expiryDate || Number.isNaN(Date.parse(expiryDate))) return { kind: 'unknown' };
  const today = now.toISOString().slice(0, 10);
  if (expiryDate >= today) return { kind: 'in-date', expiryDate };
  const grace = new Date(now);
  grace.setUTCMonth(grace.getUTCMonth() - EXPIRY_GRACE_MONTHS);
  return { kind: expiryDate >= grace.toISOString().slice(0, 10) ? 'in-grace' : 'expired', expiryDate };
};

/** Whole years from an ISO date of birth to now. */
export const ageOn = (birthDate: string, now: Date): number => {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const years = now.getUTCFullYear() - year;
  const hadBirthday =
    now.getUTCMonth() + 1 > month || (now.getUTCMonth() + 1 === month && now.getUTCDate() >= day);
  return hadBirthday ? years : years - 1;
};
