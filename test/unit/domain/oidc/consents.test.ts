import { describe, expect, it } from 'vitest';
import { scopesNeedingConsent } from '../../../../src/domain/oidc/consents.ts';
import { achievedCredentials } from '../../../../src/domain/oidc/second-factor-credentials.ts';

describe('scopesNeedingConsent', () => {
  it('asks for every requested scope but openid the first time', () => {
    expect(scopesNeedingConsent(['openid', 'email', 'phone'], undefined)).toEqual(['email', 'phone']);
  });

  it('asks only for scopes not agreed before', () => {
    expect(scopesNeedingConsent(['openid', 'email', 'profile'], ['openid', 'email'])).toEqual(['profile']);
  });

  it('asks nothing when every scope was agreed', () => {
    expect(scopesNeedingConsent(['openid', 'email'], ['email', 'phone'])).toEqual([]);
  });
});

describe('achievedCredentials', () => {
  it('counts a texted code, an emailed code and a remembered device as Cp.Cd', () => {
    for (const secondFactor of ['sms-code', 'email-code', 'remembered-device'] as const) {
      expect(achievedCredentials({ accountId: 'a', generation: 0, passwordAt: 1, secondFactor })).toBe(
        'Cp.Cd',
      );
    }
  });

  it('counts a passkey login as Cm, with no password', () => {
    expect(
      achievedCredentials({ accountId: 'a', generation: 0, passwordAt: 1, secondFactor: 'passkey' }),
    ).toBe('Cm');
  });

  it('counts a password alone as Cp', () => {
    expect(achievedCredentials({ accountId: 'a', generation: 0, passwordAt: 1 })).toBe('Cp');
  });
});
