import { describe, expect, it } from 'vitest';
import { accessTokenClaims, idTokenClaims, userInfoClaims } from '../../../../src/domain/oidc/claims.ts';
import { type Scope, supportedScopes } from '../../../../src/domain/oidc/scopes.ts';
import { p0Account, p5Account, p9Account, provenIdentity } from './accounts.ts';

describe('userInfoClaims', () => {
  it('returns only the subject for openid alone', () => {
    // Act
    const claims = userInfoClaims(p9Account, ['openid']);

    // Assess
    expect(claims).toEqual({ sub: p0Account.subject });
  });

  it('releases the email address as verified with the email scope', () => {
    // Act
    const claims = userInfoClaims(p0Account, ['openid', 'email']);

    // Assess
    expect(claims).toEqual({ sub: p0Account.subject, email: 'Pat.Smith@example.test', email_verified: true });
  });

  it('releases the confirmed phone number in E.164 as verified with the phone scope', () => {
    // Act
    const claims = userInfoClaims(p0Account, ['openid', 'phone']);

    // Assess
    expect(claims).toEqual({
      sub: p0Account.subject,
      phone_number: '+447700900123',
      phone_number_verified: true,
    });
  });

  it('omits every phone claim when the account has no phone number', () => {
    // Prepare
    const { phoneNumber: _, ...withoutPhone } = p0Account;

    // Act
    const claims = userInfoClaims({ ...withoutPhone, identity: provenIdentity, proofingLevel: 'P9' }, [
      'openid',
      'phone',
    ]);

    // Assess
    expect(claims).toEqual({ sub: p0Account.subject });
  });

  it('tells whether the phone matches PDS once identity is proven', () => {
    // Act
    const claims = userInfoClaims(p9Account, ['openid', 'phone']);

    // Assess
    expect(claims).toMatchObject({ phone_number_pds_matched: true });
  });

  it('gives a P0 account with the profile scope its proofing level and nothing else', () => {
    // Act
    const claims = userInfoClaims(p0Account, ['openid', 'profile']);

    // Assess
    expect(claims).toEqual({ sub: p0Account.subject, identity_proofing_level: 'P0' });
  });

  it('releases the NHS number, family name, birth date and proofing level with the profile scope', () => {
    // Act
    const claims = userInfoClaims(p9Account, ['openid', 'profile']);

    // Assess
    expect(claims).toEqual({
      sub: p0Account.subject,
      nhs_number: '9912003888',
      family_name: 'SMITH',
      birthdate: '1980-02-29',
      identity_proofing_level: 'P9',
    });
  });

  it('withholds the NHS number with basic_demographics', () => {
    // Act
    const claims = userInfoClaims(p5Account, ['openid', 'basic_demographics']);

    // Assess
    expect(claims).toEqual({
      sub: p0Account.subject,
      family_name: 'SMITH',
      birthdate: '1980-02-29',
      identity_proofing_level: 'P5',
    });
  });

  it('releases the given name with profile_extended once identity is proven', () => {
    // Act
    const claims = userInfoClaims(p5Account, ['openid', 'profile_extended']);

    // Assess
    expect(claims).toEqual({ sub: p0Account.subject, given_name: 'Pat' });
  });

  it('releases the GP practice with gp_registration_details', () => {
    // Act
    const claims = userInfoClaims(p5Account, ['openid', 'gp_registration_details']);

    // Assess
    expect(claims).toEqual({ sub: p0Account.subject, gp_registration_details: { gp_ods_code: 'A12345' } });
  });

  it('releases GP integration credentials to a P9 patient only', () => {
    // Act
    const atP9 = userInfoClaims(p9Account, ['openid', 'gp_integration_credentials'], { vot: 'P9.Cp.Cd' });
    const atP5 = userInfoClaims(p5Account, ['openid', 'gp_integration_credentials'], { vot: 'P5.Cp.Cd' });

    // Assess
    expect(atP9).toEqual({
      sub: p0Account.subject,
      gp_integration_credentials: {
        gp_user_id: 'gp-user-1',
        gp_linkage_key: 'linkage-key-1',
        gp_ods_code: 'A12345',
      },
    });
    expect(atP5).toEqual({ sub: p0Account.subject });
  });

  it.each([
    ['a password alone', 'P9.Cp'],
    ['a login whose vector is not known', undefined],
    ['a token from a login below P9 (the account proven since)', 'P0.Cp.Cd'],
    ['a token from a P5 login', 'P5.Cp.Cd'],
  ])('never releases GP integration credentials to %s, even at P9', (_case, vot) => {
    // Act
    const claims = userInfoClaims(p9Account, ['openid', 'gp_integration_credentials'], { vot });

    // Assess
    expect(claims).toEqual({ sub: p0Account.subject });
  });

  it('releases no identity data held for an account that is back at P0', () => {
    // Prepare
    const scopes: Scope[] = ['openid', 'profile', 'profile_extended', 'gp_registration_details'];

    // Act
    const claims = userInfoClaims({ ...p0Account, identity: provenIdentity }, scopes);

    // Assess
    expect(claims).toEqual({ sub: p0Account.subject, identity_proofing_level: 'P0' });
  });

  it('releases the client user metadata with the client_metadata scope, and omits it when cleared', () => {
    // Act
    const stored = userInfoClaims(p0Account, ['openid', 'client_metadata'], { clientUserMetadata: 'abc123' });
    const cleared = userInfoClaims(p0Account, ['openid', 'client_metadata'], { clientUserMetadata: '' });
    const withoutScope = userInfoClaims(p0Account, ['openid'], { clientUserMetadata: 'abc123' });

    // Assess
    expect(stored).toEqual({ sub: p0Account.subject, client_user_metadata: 'abc123' });
    expect(cleared).toEqual({ sub: p0Account.subject });
    expect(withoutScope).toEqual({ sub: p0Account.subject });
  });

  it('never returns a null or empty claim, whatever the scopes, for a P0 account', () => {
    // Act
    const claims = userInfoClaims(p0Account, supportedScopes, { clientUserMetadata: undefined });

    // Assess
    expect(claims).toEqual({
      sub: p0Account.subject,
      email: 'Pat.Smith@example.test',
      email_verified: true,
      phone_number: '+447700900123',
      phone_number_verified: true,
      identity_proofing_level: 'P0',
    });
  });
});

describe('idTokenClaims', () => {
  it('carries the profile claims but never the email address or phone number', () => {
    // Act
    const claims = idTokenClaims(
      p9Account,
      supportedScopes.filter((scope) => scope !== 'basic_demographics'),
    );

    // Assess
    expect(claims).toEqual({
      nhs_number: '9912003888',
      family_name: 'SMITH',
      birthdate: '1980-02-29',
      identity_proofing_level: 'P9',
    });
  });

  it('carries nothing beyond the protocol claims without a profile scope', () => {
    // Act
    const claims = idTokenClaims(p9Account, ['openid', 'email', 'phone', 'profile_extended']);

    // Assess
    expect(claims).toEqual({});
  });
});

describe('accessTokenClaims', () => {
  it('carries the NHS number with the profile scope only', () => {
    // Act
    const withProfile = accessTokenClaims(p9Account, ['openid', 'profile']);
    const withBasicDemographics = accessTokenClaims(p9Account, ['openid', 'basic_demographics']);

    // Assess
    expect(withProfile).toEqual({ nhs_number: '9912003888' });
    expect(withBasicDemographics).toEqual({});
  });
});
