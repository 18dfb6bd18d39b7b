import { describe, expect, it } from 'vitest';
import { DynamoRateLimiter } from '../../../../src/adapters/dynamodb/dynamo-rate-limiter.ts';
import { EmailSendThrottle } from '../../../../src/domain/limits/email-send-throttle.ts';
import { resolveLimits } from '../../../../src/domain/limits/limits.ts';
import { TooManyAttemptsError } from '../../../../src/domain/limits/too-many-attempts-error.ts';
import { rejectionOf, START } from '../../../support/limits-fixture.ts';
import { createTestTable } from '../../../support/test-table.ts';

/** A throttle on a fresh table that lets one network ask for 2 emails an hour. */
const throttleOfTwo = async () => {
  const clock = () => START;
  const table = await createTestTable(clock);
  return new EmailSendThrottle({
    rateLimiter: new DynamoRateLimiter({ table, clock }),
    limits: resolveLimits({ linkEmailsPerIp: 2 }),
  });
};

describe('EmailSendThrottle per network', () => {
  it('counts every address of one IPv6 /64 against one cap', async () => {
    // Prepare
    const throttle = await throttleOfTwo();
    await throttle.admit('a@example.com', '2001:db8:1:2::1');
    await throttle.admit('b@example.com', '2001:db8:1:2::2');

    // Act
    const third = await rejectionOf(throttle.admit('c@example.com', '2001:db8:1:2:ffff::3'));

    // Assess
    expect(third).toBeInstanceOf(TooManyAttemptsError);
    expect((third as TooManyAttemptsError).reason).toBe('email-sends-exceeded');
  });

  it('counts an IPv4-mapped address as its IPv4 address', async () => {
    // Prepare
    const throttle = await throttleOfTwo();
    await throttle.admit('a@example.com', '192.0.2.1');
    await throttle.admit('b@example.com', '::ffff:192.0.2.1');

    // Act
    const third = await rejectionOf(throttle.admit('c@example.com', '192.0.2.1'));

    // Assess
    expect(third).toBeInstanceOf(TooManyAttemptsError);
  });

  it('counts another /64 on its own', async () => {
    // Prepare
    const throttle = await throttleOfTwo();
    await throttle.admit('a@example.com', '2001:db8:1:2::1');
    await throttle.admit('b@example.com', '2001:db8:1:2::2');

    // Act
    const elsewhere = await throttle.admit('c@example.com', '2001:db8:1:3::1');

    // Assess
    expect(elsewhere).toBe(true);
  });
});
