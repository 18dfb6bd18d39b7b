import { DomainError } from '../errors.ts';

/**
 * The 3 registration details a GP surgery gives a patient who signs up to its online services
 * (seed 001), with the name and date of birth they are checked with.
 */
export interface GpRegistrationDetails {
  /** The Linkage Key (which could be called a Passphrase). */
  readonly linkageKey: string;
  /** The ODS Code (which could be called an Organisation Code or Practice ID). */
  readonly odsCode: string;
  /** The Account ID at the surgery's online services. */
  readonly accountId: string;
  readonly surname: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
}

/** The credentials a relying party uses to reach the patient's GP record (the `gp_integration_credentials` claim). */
export interface GpIntegrationCredentials {
  readonly gpUserId: string;
  readonly gpLinkageKey: string;
  readonly gpOdsCode: string;
}

/** What the surgery's system answers for details that match one of its patients. */
export interface GpLinkage {
  /** The NHS number the surgery holds for the patient. */
  readonly nhsNumber: string;
  readonly credentials: GpIntegrationCredentials;
}

/**
 * GP online services: the surgery's clinical system, reached through an IM1-style broker. It
 * checks the 3 registration details with the surname and date of birth, and answers the
 * patient's NHS number and the credentials services use to reach their record. Throws
 * GpDetailsNotMatchedError, GpLinkRefusedError, GpAlreadyLinkedError or GpSystemUnavailableError.
 */
export interface GpOnlineServices {
  link(details: GpRegistrationDetails): Promise<GpLinkage>;
}

/** The surgery's system has no patient with these details: the patient can check them and try again. */
export class GpDetailsNotMatchedError extends DomainError {
  readonly code = 'gp_details_not_matched';
  readonly status = 422;
}

/** The details are already linked to another NHS login (CID7004). */
export class GpAlreadyLinkedError extends DomainError {
  readonly code = 'gp_already_linked';
  readonly status = 409;
}

/** The surgery's system refuses the link (online access revoked, the practice moved system): CID7023. */
export class GpLinkRefusedError extends DomainError {
  readonly code = 'gp_link_refused';
  readonly status = 409;
}

/** The surgery's system cannot be reached now (CID7023): try later, never assume. */
export class GpSystemUnavailableError extends DomainError {
  readonly code = 'gp_unavailable';
  readonly status = 503;
}

/** A registration detail as typed, without the spaces and hyphens people copy from a letter. */
export const compactGpDetail = (value: string): string => value.replace(/[\s-]/g, '');

/** A registration detail as the practice compares it: compacted, and without regard to case. */
export const gpDetailKey = (value: string): string => compactGpDetail(value).toUpperCase();

/**
 * The key one set of registration details is claimed under: the practice and its account, as the
 * practice matches them, so one practice account has one claim.
 */
export const gpLinkKey = (details: Pick<GpRegistrationDetails, 'odsCode' | 'accountId'>): string =>
  `${gpDetailKey(details.odsCode)}/${gpDetailKey(details.accountId)}`;
