import { type ClaimsSource, userInfoClaims } from '../../src/domain/oidc/claims.ts';
import { type Scope, scopeClaims } from '../../src/domain/oidc/scopes.ts';

/** What each claim is, in the patient's words; the `_verified` flags go without saying. */
const claimWords: Readonly<Record<string, string>> = {
  nhs_number: 'your NHS number',
  family_name: 'your surname',
  given_name: 'your first name',
  birthdate: 'your date of birth',
  identity_proofing_level: 'how well you have proved who you are',
  email: 'your email address',
  phone_number: 'your mobile phone number',
  landline_number: 'your landline phone number',
  gp_registration_details: 'the GP surgery you are registered with',
  gp_integration_credentials: 'the details that connect you to your GP surgery’s online services',
  client_user_metadata: 'a reference the service keeps with your account, if it has one',
  im1_token: 'the details the NHS App uses to connect to your GP surgery',
};

/** Claims that come from proving who you are: absent until the patient has. */
const fromProvingWhoYouAre: ReadonlySet<string> = new Set([
  'nhs_number',
  'family_name',
  'given_name',
  'birthdate',
  'gp_registration_details',
  'gp_integration_credentials',
  'im1_token',
]);

/** What the consent page lists: what will be shared, and what was asked for that cannot be, and why. */
export interface ConsentSharing {
  readonly shared: readonly string[];
  /** Asked for, but only known once the patient has proved who they are. */
  readonly notProvedYet: readonly string[];
  /** Asked for, but not something the account holds (a landline number, say). */
  readonly notHeld: readonly string[];
}

/**
 * What the scopes would share for this account, worked out from the claims that would be
 * released (`userInfoClaims`), so the page never promises what the service will not get.
 */
export const consentSharing = (
  source: ClaimsSource,
  scopes: readonly Scope[],
  login: { readonly credentials: 'Cp' | 'Cp.Cd' | 'Cm' } = { credentials: 'Cp.Cd' },
): ConsentSharing => {
  // The GP credentials are kept sealed; only whether they exist matters here, never what they are.
  const sealed = source.identity?.sealedGpIntegrationCredentials;
  const withCredentials: ClaimsSource = sealed
    ? {
        ...source,
        identity: {
          ...source.identity,
          gpIntegrationCredentials: { gpUserId: 'sealed', gpLinkageKey: 'sealed', gpOdsCode: 'sealed' },
        },
      }
    : source;
  const claims: Record<string, unknown> = {
    ...userInfoClaims(withCredentials, scopes, { vot: `${source.proofingLevel}.${login.credentials}` }),
  };
  const asked = [...new Set(scopes.flatMap((scope) => scopeClaims[scope] as readonly string[]))].filter(
    (claim) => claim in claimWords,
  );
  // The service's own reference is its to set: shared when it has one, whatever the account holds.
  const isShared = (claim: string) => claim in claims || claim === 'client_user_metadata';
  const missing = asked.filter((claim) => !isShared(claim));
  const words = (claim: string) =>
    claim === 'identity_proofing_level' && source.proofingLevel === 'P0'
      ? 'that you have not proved who you are yet'
      : (claimWords[claim] ?? claim);
  return {
    shared: asked.filter(isShared).map(words),
    notProvedYet: missing.filter((claim) => fromProvingWhoYouAre.has(claim)).map(words),
    notHeld: missing.filter((claim) => !fromProvingWhoYouAre.has(claim)).map(words),
  };
};
