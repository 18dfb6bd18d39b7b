import type { Account } from '../accounts/account.ts';
import type { VerifiedIdentity } from '../identity/verified-identity.ts';
import type { Scope } from './scopes.ts';
import type { ProofingLevel } from './vectors-of-trust.ts';

export type { VerifiedIdentity };

/** The parts of an account claims are made from (an Account, with its identity once proven). */
export type ClaimsSource = Pick<Account, 'subject' | 'email' | 'phoneNumber' | 'proofingLevel'> & {
  readonly identity?: VerifiedIdentity | undefined;
};

/** Claims the ID token may carry beyond the protocol ones (EIS Table 16). */
export interface IdTokenProfileClaims {
  nhs_number?: string;
  family_name?: string;
  birthdate?: string;
  identity_proofing_level?: ProofingLevel;
}

/** The /userinfo response. */
export interface UserInfoClaims extends IdTokenProfileClaims {
  sub: string;
  given_name?: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  phone_number_pds_matched?: boolean;
  gp_registration_details?: { gp_ods_code: string };
  gp_integration_credentials?: { gp_user_id: string; gp_linkage_key: string; gp_ods_code: string };
  client_user_metadata?: string;
}

export interface UserInfoOptions {
  /** The client's stored `client_user_metadata` for this patient, released with `client_metadata`. */
  readonly clientUserMetadata?: string | undefined;
  /**
   * The vector of trust of the login behind the access token: GP integration credentials are
   * released only to a login with a second factor (never `P9.Cp`, a password alone).
   */
  readonly vot?: string | undefined;
}

/**
 * GP integration credentials go only to a P9 login with more than a password: the token's own
 * `vot` decides, not the account's level now (a token from a P0 login, or from before a
 * replacement moved an identity, gets none).
 */
export const mayHaveGpCredentials = (vot: string | undefined): boolean =>
  vot?.startsWith('P9.') === true && vot.split('.').slice(1).join('.') !== 'Cp';

/** Drops absent values: a claim without data is omitted, never null or empty. */
const present = <T extends object>(claims: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(claims).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as Partial<T>;

/** PDS-derived claims only from a proven identity (P5 and up), whatever data the account holds. */
const proven = (source: ClaimsSource): VerifiedIdentity =>
  source.proofingLevel === 'P0' ? {} : (source.identity ?? {});

/** `profile`: with the NHS number; `basic_demographics` is the same without it (EIS v1.14). */
const demographics = (source: ClaimsSource, scopes: readonly Scope[]): IdTokenProfileClaims => {
  const withNhsNumber = scopes.includes('profile');
  if (!withNhsNumber && !scopes.includes('basic_demographics')) return {};
  const identity = proven(source);
  return present({
    nhs_number: withNhsNumber ? identity.nhsNumber : undefined,
    family_name: identity.familyName,
    birthdate: identity.birthdate,
    // The patient's highest achieved level, so a service can tell a P9 patient from a P5 one.
    identity_proofing_level: source.proofingLevel,
  });
};

const gpIntegrationCredentials = (source: ClaimsSource): UserInfoClaims['gp_integration_credentials'] => {
  const credentials = proven(source).gpIntegrationCredentials;
  if (source.proofingLevel !== 'P9' || !credentials) return undefined;
  return {
    gp_user_id: credentials.gpUserId,
    gp_linkage_key: credentials.gpLinkageKey,
    gp_ods_code: credentials.gpOdsCode,
  };
};

/**
 * The claims /userinfo returns for the access token's scopes (reference section 4). Email and
 * phone are confirmed before they are kept, so they are always released as verified.
 */
export const userInfoClaims = (
  source: ClaimsSource,
  scopes: readonly Scope[],
  options: UserInfoOptions = {},
): UserInfoClaims => {
  const identity = proven(source);
  const has = (scope: Scope) => scopes.includes(scope);
  const gpOdsCode = has('gp_registration_details') ? identity.gpOdsCode : undefined;
  return {
    sub: source.subject,
    ...demographics(source, scopes),
    ...present({
      given_name: has('profile_extended') ? identity.givenName : undefined,
      email: has('email') ? source.email : undefined,
      email_verified: has('email') && source.email ? true : undefined,
      phone_number: has('phone') ? source.phoneNumber : undefined,
      phone_number_verified: has('phone') && source.phoneNumber ? true : undefined,
      phone_number_pds_matched:
        has('phone') && source.phoneNumber ? identity.phoneNumberPdsMatched : undefined,
      gp_registration_details: gpOdsCode ? { gp_ods_code: gpOdsCode } : undefined,
      gp_integration_credentials:
        has('gp_integration_credentials') && mayHaveGpCredentials(options.vot)
          ? gpIntegrationCredentials(source)
          : undefined,
      client_user_metadata: has('client_metadata') ? options.clientUserMetadata : undefined,
    }),
  };
};

/**
 * The profile claims the ID token carries for its scopes: only EIS Table 16's (NHS number,
 * family name, birth date, proofing level). Email and phone never: they come from /userinfo.
 */
export const idTokenClaims = (source: ClaimsSource, scopes: readonly Scope[]): IdTokenProfileClaims =>
  demographics(source, scopes);

/** The profile claims the access token carries (EIS Table 17): the NHS number with `profile`. */
export const accessTokenClaims = (
  source: ClaimsSource,
  scopes: readonly Scope[],
): Pick<IdTokenProfileClaims, 'nhs_number'> =>
  present({ nhs_number: scopes.includes('profile') ? proven(source).nhsNumber : undefined });
