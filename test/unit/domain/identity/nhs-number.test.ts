import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, normaliseNhsNumber } from '../../../../src/domain/identity/nhs-number.ts';

describe('NHS numbers', () => {
  it.each(['9000000009', '9434765919', '9000000017'])('accepts %s, whose check digit is right', (number) => {
    expect(isValidNhsNumber(number)).toBe(true);
  });

  it.each([
    ['a wrong check digit', '9000000010'],
    ['a check digit of 10, which no number has', '9000000050'],
    ['nine digits', '900000000'],
    ['eleven digits', '90000000090'],
    ['letters', '90000000O9'],
    ['nothing', ''],
  ])('refuses %s', (_case, number) => {
    expect(isValidNhsNumber(number)).toBe(false);
  });

  it('drops the spaces and hyphens people type', () => {
    expect(normaliseNhsNumber(' 943 476-5919 ')).toBe('9434765919');
  });
});
