import { DomainError } from '../errors.ts';

/**
 * What the Personal Demographics Service says about a patient, reduced to what the service
 * uses. A restricted record withholds its location fields (postcodes, phones, GP), so they are
 * empty here; nothing of it is ever shown to the patient.
 */
export interface DemographicsRecord {
  /** The record's NHS number: a different one from that asked for means the asked one was superseded. */
  readonly nhsNumber: string;
  /** The patient's usual name: given names in order, and the family name. */
  readonly givenNames: readonly string[];
  readonly familyName: string | undefined;
  /** YYYY-MM-DD. */
  readonly birthDate: string | undefined;
  /** PDS records a death. */
  readonly deceased: boolean;
  /** Postcodes of the current addresses, as PDS holds them. */
  readonly postalCodes: readonly string[];
  /** The ODS code of the registered GP practice. */
  readonly gpOdsCode: string | undefined;
  /** Mobile numbers on the record, as PDS holds them. */
  readonly mobileNumbers: readonly string[];
  /** The NHS number verification status is "present and verified" (code 01). */
  readonly nhsNumberVerified: boolean;
  /** `meta.security` code R: a restricted (sensitive) record. */
  readonly restricted: boolean;
}

/** A search by details: exactly one record must match, in application-restricted mode. */
export interface DemographicsSearch {
  readonly familyName: string;
  readonly givenName: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly postcode: string;
}

/** The PDS port: a record by NHS number, or the one record that matches some details. */
export interface Demographics {
  /**
   * The record of an NHS number (the superseding one, for a superseded number). Throws
   * DemographicsNotFoundError, DemographicsInvalidatedError, InvalidNhsNumberError or
   * DemographicsUnavailableError.
   */
  retrieve(nhsNumber: string): Promise<DemographicsRecord>;
  /** The single record matching the details, or undefined (no match, or more than one). */
  search(details: DemographicsSearch): Promise<DemographicsRecord | undefined>;
}

/** No record has this NHS number. */
export class DemographicsNotFoundError extends DomainError {
  readonly code = 'pds_not_found';
  readonly status = 404;
}

/** The record existed but was invalidated, and nothing superseded it. */
export class DemographicsInvalidatedError extends DomainError {
  readonly code = 'pds_invalidated';
  readonly status = 404;
}

/** PDS refused the NHS number's form or check digit. */
export class InvalidNhsNumberError extends DomainError {
  readonly code = 'pds_invalid_nhs_number';
  readonly status = 400;
}

/** PDS could not answer now: too many requests, a timeout, or an error of its own. Try later; never assume. */
export class DemographicsUnavailableError extends DomainError {
  readonly code = 'pds_unavailable';
  readonly status = 503;
  /** When PDS said to try again, if it did. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    message: string,
    options: { retryAfterSeconds?: number; logDetail?: string; cause?: unknown } = {},
  ) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** PDS has no usable record for the number: none, invalidated, or a number PDS refuses. */
export const isNoUsableRecord = (
  error: unknown,
): error is DemographicsNotFoundError | DemographicsInvalidatedError | InvalidNhsNumberError =>
  error instanceof DemographicsNotFoundError ||
  error instanceof DemographicsInvalidatedError ||
  error instanceof InvalidNhsNumberError;
