import { describe, expect, it } from 'vitest';
import { isScope, scopeClaims, supportedScopes } from '../../../../src/domain/oidc/scopes.ts';
import { allVectors, defaultVtr, isVectorOfTrust } from '../../../../src/domain/oidc/vectors-of-trust.ts';

describe('vectors of trust', () => {
  it('lists the 12 vectors of NHS login: three proofing levels by four credential combinations', () => {
    // Assess
    expect(allVectors).toEqual([
      'P0.Cp',
      'P0.Cp.Cd',
      'P0.Cp.Ck',
      'P0.Cm',
      'P5.Cp',
      'P5.Cp.Cd',
      'P5.Cp.Ck',
      'P5.Cm',
      'P9.Cp',
      'P9.Cp.Cd',
      'P9.Cp.Ck',
      'P9.Cm',
    ]);
  });

  it('defaults to P9 with a second factor, as NHS login does', () => {
    // Assess
    expect(defaultVtr).toEqual(['P9.Cp.Cd', 'P9.Cp.Ck', 'P9.Cm']);
    expect(defaultVtr.every(isVectorOfTrust)).toBe(true);
  });

  it.each(['P9.Cx', 'P9', 'Cp.Cd', 'P1.Cp', 'p9.cp.cd', 'P9.Cp.Cd ', '', 'toString'])(
    'does not take "%s" for a vector of trust',
    (value) => {
      // Act
      const accepted = isVectorOfTrust(value);

      // Assess
      expect(accepted).toBe(false);
    },
  );
});

describe('scopes', () => {
  it('supports the scopes of NHS login, sorted', () => {
    // Assess
    expect(supportedScopes).toEqual([
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
    ]);
    expect(supportedScopes.every(isScope)).toBe(true);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'address', 'OPENID', ''])(
    'does not take "%s" for a scope',
    (value) => {
      // Act
      const accepted = isScope(value);

      // Assess
      expect(accepted).toBe(false);
    },
  );

  it('releases sub, iss and aud for openid', () => {
    // Assess
    expect(scopeClaims.openid).toEqual(['iss', 'aud', 'sub']);
  });
});
