import { describe, expect, it } from 'vitest';
import type { PasswordThrottle } from '../../../src/domain/limits/password-throttle.ts';
import { TooManyAttemptsError } from '../../../src/domain/limits/too-many-attempts-error.ts';
import { at, createLimitsFixture, rejectionOf } from './limits-fixture.ts';

const IP = '203.0.113.7';

/** One login with a wrong password, as the login page runs it. */
const wrongPassword = async (passwords: PasswordThrottle, accountKey: string, ip = IP) => {
  await passwords.admitAttempt(accountKey, ip);
  await passwords.recordFailure(accountKey, ip);
};

describe('PasswordThrottle', () => {
  it('locks the account on the 5th wrong password and refuses the 6th attempt until the lock ends', async () => {
    // Prepare
    const { passwords, moveTo } = await createLimitsFixture();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      moveTo(attempt * 10);
      await wrongPassword(passwords, 'account-a');
    }
    moveTo(50);

    // Act
    const fifth = await rejectionOf(wrongPassword(passwords, 'account-a'));
    moveTo(60);
    const sixth = await rejectionOf(passwords.admitAttempt('account-a', IP));

    // Assess
    expect(fifth).toBeInstanceOf(TooManyAttemptsError);
    expect(fifth).toMatchObject({ reason: 'password-locked', retryAt: at(950) });
    expect(sixth).toBeInstanceOf(TooManyAttemptsError);
    expect(sixth).toMatchObject({ reason: 'password-locked', retryAt: at(950) });
  });

  it('admits the account again when the lock ends, with every attempt available again', async () => {
    // Prepare
    const { passwords, moveTo } = await createLimitsFixture();
    for (let attempt = 1; attempt <= 4; attempt += 1) await wrongPassword(passwords, 'account-a');
    await rejectionOf(wrongPassword(passwords, 'account-a'));
    moveTo(899);
    const lastSecond = await rejectionOf(passwords.admitAttempt('account-a', IP));

    // Act
    moveTo(900);
    for (let attempt = 1; attempt <= 4; attempt += 1) await wrongPassword(passwords, 'account-a');
    const fifthAgain = await rejectionOf(wrongPassword(passwords, 'account-a'));

    // Assess
    expect(lastSecond).toMatchObject({ reason: 'password-locked', retryAt: at(900) });
    expect(fifthAgain).toMatchObject({ reason: 'password-locked', retryAt: at(1800) });
  });

  it('clears the failures when the right password is given', async () => {
    // Prepare
    const { passwords } = await createLimitsFixture();
    for (let attempt = 1; attempt <= 4; attempt += 1) await wrongPassword(passwords, 'account-a');
    await passwords.admitAttempt('account-a', IP);

    // Act
    await passwords.recordSuccess('account-a');

    // Assess: four more wrong passwords do not lock it; the fifth does.
    for (let attempt = 1; attempt <= 4; attempt += 1) await wrongPassword(passwords, 'account-a');
    await expect(wrongPassword(passwords, 'account-a')).rejects.toMatchObject({ reason: 'password-locked' });
  });

  it('locks one account without affecting another', async () => {
    // Prepare
    const { passwords } = await createLimitsFixture();
    for (let attempt = 1; attempt <= 4; attempt += 1) await wrongPassword(passwords, 'account-a');
    await rejectionOf(wrongPassword(passwords, 'account-a'));

    // Act
    const other = passwords.admitAttempt('account-b', IP);

    // Assess
    await expect(other).resolves.toBeUndefined();
  });

  it('lets only 5 of 20 parallel attempts on one account through, and locks it', async () => {
    // Prepare
    const { passwords } = await createLimitsFixture();

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => passwords.admitAttempt('account-a', IP)),
    );

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    for (const result of results.filter((result) => result.status === 'rejected')) {
      expect(result.reason).toBeInstanceOf(TooManyAttemptsError);
      expect(result.reason).toMatchObject({ reason: 'password-locked', retryAt: at(900) });
    }
    await expect(passwords.admitAttempt('account-a', IP)).rejects.toMatchObject({
      reason: 'password-locked',
    });
  });

  it('refuses an IP address after 50 failures for the rest of its 15-minute window', async () => {
    // Prepare: 50 wrong passwords at once, each for another account.
    const { passwords, moveTo } = await createLimitsFixture();
    moveTo(120);
    await Promise.all(Array.from({ length: 50 }, (_, index) => wrongPassword(passwords, `account-${index}`)));

    // Act
    const fromThrottledIp = await rejectionOf(passwords.admitAttempt('account-new', IP));
    const fromOtherIp = passwords.admitAttempt('account-new', '198.51.100.1');

    // Assess
    expect(fromThrottledIp).toBeInstanceOf(TooManyAttemptsError);
    expect(fromThrottledIp).toMatchObject({ reason: 'ip-throttled', retryAt: at(900) });
    await expect(fromOtherIp).resolves.toBeUndefined();
  });

  it('admits the IP address again when the next window starts', async () => {
    // Prepare
    const { passwords, moveTo } = await createLimitsFixture();
    await Promise.all(Array.from({ length: 50 }, (_, index) => wrongPassword(passwords, `account-${index}`)));
    moveTo(899);
    const lastSecond = await rejectionOf(passwords.admitAttempt('account-new', IP));

    // Act
    moveTo(900);
    const nextWindow = passwords.admitAttempt('account-new', IP);

    // Assess
    expect(lastSecond).toMatchObject({ reason: 'ip-throttled' });
    await expect(nextWindow).resolves.toBeUndefined();
  });

  it('admits an IP address with 49 failures', async () => {
    // Prepare
    const { passwords } = await createLimitsFixture();
    await Promise.all(Array.from({ length: 49 }, (_, index) => wrongPassword(passwords, `account-${index}`)));

    // Act
    const fiftieth = passwords.admitAttempt('account-new', IP);

    // Assess
    await expect(fiftieth).resolves.toBeUndefined();
  });

  it('follows overridden limits', async () => {
    // Prepare
    const { passwords } = await createLimitsFixture({
      passwordFailuresPerAccount: 2,
      passwordLockoutSeconds: 60,
    });
    await wrongPassword(passwords, 'account-a');

    // Act
    const second = await rejectionOf(wrongPassword(passwords, 'account-a'));

    // Assess
    expect(second).toMatchObject({ reason: 'password-locked', retryAt: at(60) });
  });
});
