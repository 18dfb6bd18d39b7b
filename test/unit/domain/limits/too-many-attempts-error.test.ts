import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../src/domain/errors.ts';
import {
  type LimitReason,
  TooManyAttemptsError,
} from '../../../../src/domain/limits/too-many-attempts-error.ts';

const reasons: LimitReason[] = [
  'password-delayed',
  'password-hard-stop',
  'code-entry-locked',
  'code-sends-exceeded',
  'phone-daily-cap',
  'ip-throttled',
  'email-sends-exceeded',
  'email-change-requests',
  'email-address-cap',
  'texts-per-network',
  'texts-per-account',
  'new-number-ceiling',
];

describe('TooManyAttemptsError', () => {
  it.each(reasons)('carries the reason %s and the retry time as a 429 domain error', (reason) => {
    // Prepare
    const retryAt = new Date('2026-11-22T10:15:00Z');

    // Act
    const error = new TooManyAttemptsError(reason, retryAt);

    // Assess
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      name: 'TooManyAttemptsError',
      code: 'too_many_attempts',
      status: 429,
      reason,
      retryAt,
      logDetail: reason,
    });
    expect(error.description).toMatch(/too many/i);
  });
});
