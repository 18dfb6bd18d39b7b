import { describe, expect, it } from 'vitest';
import { checkMobileNumber, maskPhoneNumber } from '../../../../src/domain/accounts/phone-number.ts';

describe('checkMobileNumber', () => {
  it.each([
    ['07400 123456', '+447400123456'],
    ['+44 7400 123456', '+447400123456'],
    ['0044 7400 123 456', '+447400123456'],
  ])('accepts the UK mobile number %s as %s', (input, e164) => {
    expect(checkMobileNumber(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['', 'Enter your mobile phone number'],
    ['020 7946 0018', 'Enter a mobile phone number, not a landline'],
    ['+33 6 12 34 56 78', 'Enter a UK mobile phone number'],
    ['12345', 'Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982'],
    ['07700 900123', 'Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982'],
  ])('refuses %j', (input, message) => {
    expect(checkMobileNumber(input)).toEqual({ ok: false, problem: { field: 'phoneNumber', message } });
  });

  it('accepts Ofcom drama numbers only where test numbers are allowed', () => {
    expect(checkMobileNumber('07700 900123', { allowTestNumbers: true })).toEqual({
      ok: true,
      e164: '+447700900123',
    });
  });

  it('accepts another country when the allow-list has it', () => {
    expect(checkMobileNumber('+33 6 12 34 56 78', { allowedCountries: ['GB', 'FR'] })).toEqual({
      ok: true,
      e164: '+33612345678',
    });
  });

  describe('Jersey, Guernsey and Isle of Man mobiles', () => {
    const crownDependencyMessage =
      'Enter a mobile phone number from England, Scotland, Wales or Northern Ireland. We cannot send security codes to Jersey, Guernsey or Isle of Man numbers';
    // Jersey's and Guernsey's are libphonenumber's example numbers; its Isle of Man example
    // (07924 123456) is in a range it files under GB, so this one is from the 07624 range.
    const mobiles = [
      ['JE', '07797 712345', '+447797712345'],
      ['GG', '07781 123456', '+447781123456'],
      ['IM', '07624 123456', '+447624123456'],
    ] as const;

    it.each(mobiles)('refuses a %s mobile by default, saying which numbers can be used', (_, input) => {
      // Act
      const check = checkMobileNumber(input);

      // Assess
      expect(check).toEqual({
        ok: false,
        problem: { field: 'phoneNumber', message: crownDependencyMessage },
      });
    });

    it.each(mobiles)('refuses a %s mobile written in international format too', (_, __, e164) => {
      // Act
      const check = checkMobileNumber(e164);

      // Assess
      expect(check).toEqual({
        ok: false,
        problem: { field: 'phoneNumber', message: crownDependencyMessage },
      });
    });

    it.each(mobiles)('accepts a %s mobile when the allow-list has it', (country, input, e164) => {
      // Act
      const check = checkMobileNumber(input, { allowedCountries: ['GB', country] });

      // Assess
      expect(check).toEqual({ ok: true, e164 });
    });

    it('allows only the Crown Dependencies the allow-list names', () => {
      // Act
      const guernsey = checkMobileNumber('07781 123456', { allowedCountries: ['GB', 'JE'] });

      // Assess
      expect(guernsey).toEqual({
        ok: false,
        problem: { field: 'phoneNumber', message: crownDependencyMessage },
      });
    });

    it('keeps the usual message for a Jersey landline', () => {
      // Act
      const landline = checkMobileNumber('01534 123456');

      // Assess
      expect(landline).toEqual({
        ok: false,
        problem: { field: 'phoneNumber', message: 'Enter a UK mobile phone number' },
      });
    });

    it('leaves a GB mobile accepted whether or not they are allowed', () => {
      // Act
      const byDefault = checkMobileNumber('07400 123456');
      const withThemAllowed = checkMobileNumber('07400 123456', {
        allowedCountries: ['GB', 'JE', 'GG', 'IM'],
      });

      // Assess
      expect(byDefault).toEqual({ ok: true, e164: '+447400123456' });
      expect(withThemAllowed).toEqual({ ok: true, e164: '+447400123456' });
    });

    it('refuses a GB mobile when only they are allowed', () => {
      // Act
      const check = checkMobileNumber('07400 123456', { allowedCountries: ['JE', 'GG', 'IM'] });

      // Assess
      expect(check).toEqual({
        ok: false,
        problem: { field: 'phoneNumber', message: 'Enter a UK mobile phone number' },
      });
    });
  });

  it('shows only the last 3 digits', () => {
    expect(maskPhoneNumber('+447400123456')).toBe('ending 456');
  });
});
