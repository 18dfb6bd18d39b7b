import { describe, expect, it } from 'vitest';
import { buildDiscoveryDocument, type EndpointRoute } from '../../../../src/domain/oidc/discovery.ts';

const ISSUER = 'https://auth.example.nhs';

const everyEndpoint: readonly EndpointRoute[] = [
  { id: 'discovery', path: '/.well-known/openid-configuration' },
  { id: 'jwks', path: '/.well-known/jwks.json' },
  { id: 'authorize', path: '/authorize' },
  { id: 'token', path: '/token' },
  { id: 'userinfo', path: '/userinfo' },
  { id: 'end-session', path: '/logout' },
];

/** The scopes and claims NHS login's own discovery document lists. */
const nhsLoginScopes = [
  'basic_demographics',
  'client_metadata',
  'email',
  'gp_integration_credentials',
  'gp_registration_details',
  'landline',
  'nhs_app_credentials',
  'openid',
  'phone',
  'profile',
  'profile_extended',
];
const nhsLoginClaims = [
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
];

describe('buildDiscoveryDocument', () => {
  it('publishes what NHS login publishes', () => {
    // Act
    const document = buildDiscoveryDocument(ISSUER, everyEndpoint);

    // Assess
    expect(document).toMatchObject({
      issuer: ISSUER,
      scopes_supported: nhsLoginScopes,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS512'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      claims_supported: nhsLoginClaims,
      code_challenge_methods_supported: ['S256'],
    });
    expect(document.issuer.endsWith('/')).toBe(false);
  });

  it('lists RS512 first among the client assertion algorithms', () => {
    // Act
    const document = buildDiscoveryDocument(ISSUER, everyEndpoint);

    // Assess
    expect(document.token_endpoint_auth_signing_alg_values_supported[0]).toBe('RS512');
  });

  it('says authorization responses carry iss (RFC 9207)', () => {
    // Act
    const document = buildDiscoveryDocument(ISSUER, everyEndpoint);

    // Assess
    expect(document).toHaveProperty('authorization_response_iss_parameter_supported', true);
  });

  it('builds each endpoint URL from the issuer and its route path', () => {
    // Act
    const document = buildDiscoveryDocument(ISSUER, everyEndpoint);

    // Assess
    expect(document).toMatchObject({
      jwks_uri: 'https://auth.example.nhs/.well-known/jwks.json',
      authorization_endpoint: 'https://auth.example.nhs/authorize',
      token_endpoint: 'https://auth.example.nhs/token',
      userinfo_endpoint: 'https://auth.example.nhs/userinfo',
      end_session_endpoint: 'https://auth.example.nhs/logout',
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
  });

  it('follows a route to wherever the route table puts it', () => {
    // Act
    const document = buildDiscoveryDocument('http://localhost:3000', [{ id: 'jwks', path: '/keys' }]);

    // Assess
    expect(document).toMatchObject({ jwks_uri: 'http://localhost:3000/keys' });
  });

  it('lists no endpoint and no grant type for routes that do not exist', () => {
    // Act
    const document = buildDiscoveryDocument(ISSUER, [{ id: 'jwks', path: '/.well-known/jwks.json' }]);

    // Assess
    expect(document).toHaveProperty('jwks_uri', 'https://auth.example.nhs/.well-known/jwks.json');
    for (const member of [
      'authorization_endpoint',
      'token_endpoint',
      'userinfo_endpoint',
      'end_session_endpoint',
      'grant_types_supported',
    ]) {
      expect(document).not.toHaveProperty(member);
    }
  });

  it('lists the grant types once there is a token endpoint', () => {
    // Act
    const document = buildDiscoveryDocument(ISSUER, [{ id: 'token', path: '/token' }]);

    // Assess
    expect(document).toMatchObject({
      token_endpoint: 'https://auth.example.nhs/token',
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
    expect(document).not.toHaveProperty('jwks_uri');
  });

  it('does not publish a route that is not an endpoint', () => {
    // Act
    const document = buildDiscoveryDocument(ISSUER, everyEndpoint);

    // Assess
    expect(Object.values(document)).not.toContain(
      'https://auth.example.nhs/.well-known/openid-configuration',
    );
  });
});
