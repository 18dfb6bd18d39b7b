import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../../../src/domain/limits/limits.ts';
import { readLocalSettings } from '../../../src/local/local-settings.ts';

describe('readLocalSettings', () => {
  it('runs on no settings at all: GB numbers only and the default limits', () => {
    // Act
    const settings = readLocalSettings({});

    // Assess
    expect(settings).toMatchObject({ port: 3000, tableName: 'patient-login', serviceName: 'NHS login' });
    expect(settings.allowedPhoneCountries).toEqual(['GB']);
    expect(settings.limits).toEqual(defaultLimits);
  });

  it('reads the phone countries as a deployed function does', () => {
    // Act
    const settings = readLocalSettings({ ALLOWED_PHONE_COUNTRIES: 'GB, IE,JE' });

    // Assess
    expect(settings.allowedPhoneCountries).toEqual(['GB', 'IE', 'JE']);
  });

  it('reads LIMITS as a JSON object of overrides on the defaults', () => {
    // Act
    const settings = readLocalSettings({ LIMITS: '{"linkEmailsPerIp": 3, "securityCodeAttempts": 2}' });

    // Assess
    expect(settings.limits).toEqual({ ...defaultLimits, linkEmailsPerIp: 3, securityCodeAttempts: 2 });
  });

  it('reads CONTACT_URL, the support route, and has none by default', () => {
    // Act
    const set = readLocalSettings({ CONTACT_URL: 'https://help.example.org/contact' });
    const unset = readLocalSettings({});

    // Assess
    expect(set.contactUrl).toBe('https://help.example.org/contact');
    expect(unset.contactUrl).toBeUndefined();
  });

  it.each([
    ['a contact route that is not a URL', { CONTACT_URL: 'help.example.org' }, 'CONTACT_URL'],
    ['a contact route that is not on the web', { CONTACT_URL: 'javascript:alert(1)' }, 'CONTACT_URL'],
    ['a phone country that is not a code', { ALLOWED_PHONE_COUNTRIES: 'UK' }, 'ALLOWED_PHONE_COUNTRIES'],
    ['a lower-case phone country', { ALLOWED_PHONE_COUNTRIES: 'gb' }, 'ALLOWED_PHONE_COUNTRIES'],
    ['no phone country at all', { ALLOWED_PHONE_COUNTRIES: ' , ' }, 'ALLOWED_PHONE_COUNTRIES'],
    ['limits that are not JSON', { LIMITS: 'linkEmailsPerIp=3' }, 'LIMITS'],
    ['limits that are not an object', { LIMITS: '[3]' }, 'LIMITS'],
    ['an unknown limit', { LIMITS: '{"emailsPerIp": 3}' }, 'LIMITS'],
    ['a limit that is not a positive whole number', { LIMITS: '{"linkEmailsPerIp": -1}' }, 'LIMITS'],
  ])('refuses %s, naming the variable', (_case, env, variable) => {
    // Act
    const read = () => readLocalSettings(env);

    // Assess
    expect(read).toThrow(new RegExp(`Invalid local settings: .*${variable}`));
  });

  it('names the unknown limit, so the mistake can be found', () => {
    // Act
    const read = () => readLocalSettings({ LIMITS: '{"emailsPerIp": 3}' });

    // Assess
    expect(read).toThrow(/LIMITS: .*emailsPerIp/);
  });
});
