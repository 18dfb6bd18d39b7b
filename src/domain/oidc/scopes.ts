/**
 * The scopes NHS login defines and the claims each releases (reference section 4). `openid` is
 * mandatory; `profile` and `basic_demographics` are mutually exclusive.
 */
export const scopeClaims = {
  openid: ['iss', 'aud', 'sub'],
  profile: ['nhs_number', 'family_name', 'birthdate', 'identity_proofing_level'],
  basic_demographics: ['family_name', 'birthdate', 'identity_proofing_level'],
  profile_extended: ['given_name'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified', 'phone_number_pds_matched'],
  landline: ['landline_number', 'landline_number_verified'],
  gp_registration_details: ['gp_registration_details'],
  gp_integration_credentials: ['gp_integration_credentials'],
  client_metadata: ['client_user_metadata'],
  nhs_app_credentials: ['im1_token'],
} as const satisfies Record<string, readonly string[]>;

export type Scope = keyof typeof scopeClaims;

export const supportedScopes = Object.keys(scopeClaims).sort() as Scope[];

export const isScope = (value: string): value is Scope => Object.hasOwn(scopeClaims, value);

/** The claims NHS login's discovery document lists, which we publish unchanged for compatibility. */
export const supportedClaims = [
  'iss',
  'aud',
  'sub',
  'family_name',
  'given_name',
  'email',
  'email_verified',
  'phone_number',
  'phone_number_verified',
  'landline_number',
  'landline_number_verified',
  'birthdate',
  'nhs_number',
  'gp_integration_credentials',
  'delegations',
  'gp_registration_details',
  'im1_token',
  'auth_time',
  'jti',
  'nonce',
  'vot',
  'vtm',
  'exp',
  'ods_code',
  'user_id',
  'linkage_key',
  'surname',
  'iat',
  'gp_ods_code',
  'gp_user_id',
  'gp_linkage_key',
  'client_user_metadata',
  'identity_proofing_level',
] as const;
