import { describe, expect, it } from 'vitest';
import { checkMobileNumber, maskPhoneNumber } from '../../../src/domain/accounts/phone-number.ts';

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

  it('shows only the last 3 digits', () => {
    expect(maskPhoneNumber('+447400123456')).toBe('ending 456');
  });
});
