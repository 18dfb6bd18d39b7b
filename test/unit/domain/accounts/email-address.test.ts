import { describe, expect, it } from 'vitest';
import { checkEmailAddress, checkNewEmailAddress } from '../../../../src/domain/accounts/email-address.ts';

const inFormat = 'Enter an email address in the correct format, like name@example.com';

describe('checkNewEmailAddress', () => {
  it.each([
    'pat@example.com',
    "o'brien@example.com",
    'pat+gp@example.com',
    'pat.smith@mail.example.co.uk',
    'PAT@EXAMPLE.NHS.UK',
  ])('accepts the real-world address %j', (email) => {
    expect(checkNewEmailAddress(email)).toEqual([]);
  });

  it.each([
    ['two dots in the domain', 'x@example..org', inFormat],
    ['a dot at the end of the part before the @', 'pat.@example.com', inFormat],
    ['an IP address for a domain', 'pat@[192.0.2.1]', inFormat],
    ['a name around the address', 'Pat <pat@example.com>', inFormat],
    ['an underscore in the domain', 'pat@exa_mple.com', inFormat],
    ['a one-letter top-level domain', 'pat@example.c', inFormat],
    [
      '65 characters before the @',
      `${'a'.repeat(65)}@example.com`,
      'Enter an email address with 64 characters or fewer before the @',
    ],
  ])('refuses %s', (_case, email, message) => {
    expect(checkNewEmailAddress(email)).toEqual([{ field: 'email', message }]);
  });

  it('says what is missing in the words of the form it is on', () => {
    expect(checkNewEmailAddress('  ', { emptyMessage: 'Enter your new email address' })).toEqual([
      { field: 'email', message: 'Enter your new email address' },
    ]);
  });

  it('is stricter than the check where an address already in use is typed (a login, a reset)', () => {
    expect(checkEmailAddress('x@example..org')).toEqual([]);
    expect(checkNewEmailAddress('x@example..org')).not.toEqual([]);
  });
});
