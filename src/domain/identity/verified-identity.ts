/**
 * What identity verification established about a patient, from their PDS record. Every part is
 * optional: a P0 account has none of it, and a claim whose data is absent is simply not released.
 */
export interface VerifiedIdentity {
  /** 10 digits. */
  readonly nhsNumber?: string | undefined;
  readonly familyName?: string | undefined;
  readonly givenName?: string | undefined;
  /** YYYY-MM-DD. */
  readonly birthdate?: string | undefined;
  /** The ODS code of the patient's registered GP practice. */
  readonly gpOdsCode?: string | undefined;
  /**
   * The GP online-services (IM1) credentials the patient proved themselves with, opened: only
   * the functions that release them (userinfo) open `sealedGpIntegrationCredentials` into this.
   * Never stored.
   */
  readonly gpIntegrationCredentials?:
    | { readonly gpUserId: string; readonly gpLinkageKey: string; readonly gpOdsCode: string }
    | undefined;
  /** The GP credentials as stored: encrypted with the GP credentials key (see `SecretBox`). */
  readonly sealedGpIntegrationCredentials?: string | undefined;
  /** The GP online-services details the account was proved with (`gpLinkKey`), claimed by it once only. */
  readonly gpLink?: string | undefined;
  /** Whether the phone confirmed for the second factor matches a PDS contact number. */
  readonly phoneNumberPdsMatched?: boolean | undefined;
  /** When PDS last confirmed the NHS number (ISO 8601): a login within the cache's time needs no new check. */
  readonly checkedAt?: string | undefined;
}
