import { describe, expect, it } from 'vitest';
import { loadFunctionConfig } from '../../../src/platform/config.ts';

const validEnv = {
  STAGE: 'dev',
  ISSUER: 'https://auth.example.nhs.uk',
  TABLE_NAME: 'patient-login',
  SIGNING_KEY_IDS: 'arn:key/current, arn:key/next',
  ACTIVE_SIGNING_KEY_ID: 'arn:key/current',
};

describe('loadFunctionConfig', () => {
  it('reads a complete environment', () => {
    // Act
    const config = loadFunctionConfig(validEnv);

    // Assess
    expect(config).toEqual({
      stage: 'dev',
      issuer: 'https://auth.example.nhs.uk',
      tableName: 'patient-login',
      signingKeyIds: ['arn:key/current', 'arn:key/next'],
      activeSigningKeyId: 'arn:key/current',
      logLevel: 'INFO',
    });
  });

  it.each([
    ['an issuer with a trailing slash', { ISSUER: 'https://auth.example.nhs.uk/' }, 'ISSUER'],
    ['an issuer with a query', { ISSUER: 'https://auth.example.nhs.uk?a=b' }, 'ISSUER'],
    ['an issuer that is not a URL', { ISSUER: 'auth.example' }, 'ISSUER'],
    ['no table name', { TABLE_NAME: undefined }, 'TABLE_NAME'],
    [
      'an active key that is not published',
      { ACTIVE_SIGNING_KEY_ID: 'arn:key/other' },
      'ACTIVE_SIGNING_KEY_ID',
    ],
    ['an unknown log level', { LOG_LEVEL: 'LOUD' }, 'LOG_LEVEL'],
  ])('refuses %s, naming the variable', (_case, overrides, variable) => {
    // Act
    const load = () => loadFunctionConfig({ ...validEnv, ...overrides });

    // Assess
    expect(load).toThrow(new RegExp(`Invalid function configuration: .*${variable}`));
  });
});
