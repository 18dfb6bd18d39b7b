import { describe, expect, it } from 'vitest';
import { consentSharing } from '../../../../functions/authorize-pages/consent-wording.ts';

const p0 = {
  subject: 's',
  email: 'pat@example.com',
  phoneNumber: '+447700900123',
  proofingLevel: 'P0' as const,
};

describe('consentSharing', () => {
  it('promises a P0 account only what it has, and names what needs proving who you are', () => {
    // Act
    const sharing = consentSharing(p0, ['openid', 'profile', 'email']);

    // Assess
    expect(sharing.shared).toEqual(['that you have not proved who you are yet', 'your email address']);
    expect(sharing.notProvedYet).toEqual(['your NHS number', 'your surname', 'your date of birth']);
    expect(sharing.notHeld).toEqual([]);
  });

  it('lists everything a proven identity holds as shared', () => {
    // Act
    const sharing = consentSharing(
      {
        ...p0,
        proofingLevel: 'P9',
        identity: {
          nhsNumber: '9000000009',
          familyName: 'Smith',
          birthdate: '1980-01-02',
          gpOdsCode: 'A12345',
        },
      },
      ['openid', 'profile', 'gp_registration_details'],
    );

    // Assess
    expect(sharing.shared).toEqual([
      'your NHS number',
      'your surname',
      'your date of birth',
      'how well you have proved who you are',
      'the GP surgery you are registered with',
    ]);
    expect(sharing.notProvedYet).toEqual([]);
  });

  it('lists the sealed GP credentials as shared for a login with a second factor, and never for a password alone', () => {
    // Prepare
    const p9 = {
      ...p0,
      proofingLevel: 'P9' as const,
      identity: { nhsNumber: '9000000009', sealedGpIntegrationCredentials: 'local.sealed' },
    };

    // Act
    const withCode = consentSharing(p9, ['openid', 'gp_integration_credentials']);
    const passwordOnly = consentSharing(p9, ['openid', 'gp_integration_credentials'], { credentials: 'Cp' });
    const unproven = consentSharing({ ...p0, identity: p9.identity }, [
      'openid',
      'gp_integration_credentials',
    ]);

    // Assess
    expect(withCode.shared).toEqual(['the details that connect you to your GP surgery’s online services']);
    expect(passwordOnly.shared).toEqual([]);
    expect(unproven.shared).toEqual([]);
  });

  it('says what the account does not hold, such as a landline or a phone not yet added', () => {
    // Act
    const sharing = consentSharing({ ...p0, phoneNumber: undefined }, ['openid', 'phone', 'landline']);

    // Assess
    expect(sharing.shared).toEqual([]);
    expect(sharing.notHeld).toEqual(['your mobile phone number', 'your landline phone number']);
  });
});
