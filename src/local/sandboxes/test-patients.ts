import { readFileSync } from 'node:fs';

/** A patient of the sandboxes, as the seed file gives it; `tests` says what it is for. */
export interface TestPatient {
  readonly nhsNumber: string;
  readonly given: readonly string[];
  readonly family: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly gender: 'male' | 'female' | 'other' | 'unknown';
  readonly postcode: string;
  readonly mobile?: string;
  readonly gpOdsCode?: string;
  /** YYYY-MM-DD of death, when PDS records one. */
  readonly deceased?: string;
  readonly restricted?: boolean;
  /** The NHS number whose record replaced this one. */
  readonly supersededBy?: string;
  readonly invalidated?: boolean;
  /** The NHS number verification status code; `01` (present and verified) unless given. */
  readonly verification?: string;
  /** Every request for this record answers 429, as PDS does when it is busy. */
  readonly busy?: boolean;
  /** The patient's GP online-services registration details, and how the practice system answers them. */
  readonly gp?: TestGpDetails;
  readonly tests: string;
}

/** A test patient's GP online-services details, for the GP sandbox. */
export interface TestGpDetails {
  readonly odsCode: string;
  readonly accountId: string;
  readonly linkageKey: string;
  /** The surname the practice holds, when it is not the PDS family name. */
  readonly surname?: string;
  /** The NHS number the practice holds, when it is not the PDS one. */
  readonly nhsNumber?: string;
  /** How the practice system answers these details: `linked` unless given. */
  readonly outcome?: 'linked' | 'already-linked' | 'refused' | 'down';
}

export interface TestPatients {
  readonly patients: readonly TestPatient[];
  /** Details no record has. */
  readonly noMatch: {
    readonly given: string;
    readonly family: string;
    readonly birthDate: string;
    readonly postcode: string;
    readonly tests: string;
  };
  /** GP online-services details the practice does not have. */
  readonly gpDetailsWrong: {
    readonly linkageKey: string;
    readonly odsCode: string;
    readonly accountId: string;
    readonly surname: string;
    readonly birthDate: string;
    readonly tests: string;
  };
}

/** The seed file both sandboxes read. */
export const loadTestPatients = (): TestPatients =>
  JSON.parse(readFileSync(new URL('./test-patients.json', import.meta.url), 'utf8')) as TestPatients;
