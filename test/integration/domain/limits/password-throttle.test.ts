import { describe, expect, it } from 'vitest';
import type { PasswordSource, PasswordThrottle } from '../../../../src/domain/limits/password-throttle.ts';
import { TooManyAttemptsError } from '../../../../src/domain/limits/too-many-attempts-error.ts';
import { at, createLimitsFixture, rejectionOf } from '../../../support/limits-fixture.ts';

const ATTACKER: PasswordSource = { kind: 'network', ip: '203.0.113.7' };
const PATIENT_HOME: PasswordSource = { kind: 'network', ip: '198.51.100.20' };
const PATIENT_DEVICE: PasswordSource = { kind: 'trusted', id: 'device abc' };
const network = (index: number): PasswordSource => ({ kind: 'network', ip: `192.0.2.${index}` });

/** One login with a wrong password, as the login page runs it. */
const wrongPassword = async (passwords: PasswordThrottle, source: PasswordSource, key = 'account-a') => {
  const attempt = await passwords.admitAttempt(key, source);
  return passwords.recordFailure(attempt);
};

/** One login with the right password. */
const rightPassword = async (passwords: PasswordThrottle, source: PasswordSource, key = 'account-a') =>
  passwords.recordSuccess(await passwords.admitAttempt(key, source));

describe('PasswordThrottle', () => {
  it('lets a source make 5 wrong attempts freely, then delays it 1, 2, 4, 8 and at most 15 minutes', async () => {
    // Prepare
    const { passwords, moveTo } = await createLimitsFixture();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      moveTo(attempt);
      await expect(wrongPassword(passwords, ATTACKER)).resolves.toBeUndefined();
    }

    // Act: each attempt at the first moment the delay allows it.
    moveTo(5);
    const fifth = await wrongPassword(passwords, ATTACKER);
    const tooSoon = await rejectionOf(passwords.admitAttempt('account-a', ATTACKER));
    const allowed: Date[] = [];
    let now = 5;
    for (const delay of [60, 120, 240, 480, 900, 900]) {
      now += delay;
      moveTo(now);
      allowed.push((await wrongPassword(passwords, ATTACKER)) as Date);
    }

    // Assess
    expect(fifth).toEqual(at(65));
    expect(tooSoon).toBeInstanceOf(TooManyAttemptsError);
    expect(tooSoon).toMatchObject({ reason: 'password-delayed', retryAt: at(65) });
    expect(allowed).toEqual([185, 425, 905, 1805, 2705, 3605].map(at));
  });

  it('never holds back the patient’s remembered device because of failures from another network', async () => {
    // Prepare: an attacker guesses from one network, then from a hundred more, until password login stops.
    const { passwords, moveTo } = await createLimitsFixture();
    for (let attempt = 0; attempt < 5; attempt += 1) await wrongPassword(passwords, ATTACKER);
    for (let index = 1; index <= 110; index += 1) {
      moveTo(index * 901);
      await wrongPassword(passwords, network(index)).catch(() => undefined);
    }
    const attackerStopped = await rejectionOf(passwords.admitAttempt('account-a', network(200)));

    // Act
    const fromDevice = passwords.admitAttempt('account-a', PATIENT_DEVICE);

    // Assess
    expect(attackerStopped).toMatchObject({ reason: 'password-hard-stop' });
    await expect(fromDevice).resolves.toMatchObject({ accountKey: 'account-a' });
  });

  it('delays every network, the patient’s too, once 10 wrong passwords come from networks together', async () => {
    // Prepare: ten networks, one wrong password each (none of them delayed on its own).
    const { passwords, moveTo } = await createLimitsFixture();
    for (let index = 1; index <= 10; index += 1) await wrongPassword(passwords, network(index));
    moveTo(30);

    // Act
    const fromHome = await rejectionOf(passwords.admitAttempt('account-a', PATIENT_HOME));
    moveTo(60);
    const afterTheDelay = passwords.admitAttempt('account-a', PATIENT_HOME);

    // Assess
    expect(fromHome).toMatchObject({ reason: 'password-delayed', retryAt: at(60) });
    await expect(afterTheDelay).resolves.toMatchObject({ accountKey: 'account-a' });
  });

  it('stops password login after 100 consecutive failures until the account is cleared', async () => {
    // Prepare: 100 wrong passwords from many networks, spaced so no delay refuses them.
    const { passwords, moveTo } = await createLimitsFixture();
    let now = 0;
    for (let index = 1; index <= 100; index += 1) {
      now += 901;
      moveTo(now);
      await wrongPassword(passwords, network(index));
    }
    moveTo(now + 86_400);

    // Act
    const stopped = await rejectionOf(passwords.admitAttempt('account-a', PATIENT_HOME));
    await passwords.clear('account-a');
    const afterClear = passwords.admitAttempt('account-a', PATIENT_HOME);

    // Assess
    expect(stopped).toBeInstanceOf(TooManyAttemptsError);
    expect(stopped).toMatchObject({ reason: 'password-hard-stop' });
    await expect(afterClear).resolves.toMatchObject({ accountKey: 'account-a' });
  });

  it('forgets the account’s consecutive failures and this source’s at the right password, not the attacker’s', async () => {
    // Prepare
    const { passwords, moveTo } = await createLimitsFixture();
    for (let attempt = 0; attempt < 5; attempt += 1) await wrongPassword(passwords, ATTACKER);
    for (let attempt = 0; attempt < 4; attempt += 1) await wrongPassword(passwords, PATIENT_HOME);
    moveTo(61);

    // Act
    await rightPassword(passwords, PATIENT_HOME);
    const patientAgain = await wrongPassword(passwords, PATIENT_HOME);
    const attackerAgain = await wrongPassword(passwords, ATTACKER);
    const attackerNext = await rejectionOf(passwords.admitAttempt('account-a', ATTACKER));

    // Assess: the patient starts afresh; the attacker's network keeps its count (6 failures: 2 minutes).
    expect(patientAgain).toBeUndefined();
    expect(attackerAgain).toEqual(at(181));
    expect(attackerNext).toMatchObject({ reason: 'password-delayed', retryAt: at(181) });
  });

  it('forgets a source’s failures a day after its last one', async () => {
    // Prepare
    const { passwords, moveTo } = await createLimitsFixture();
    for (let attempt = 0; attempt < 5; attempt += 1) await wrongPassword(passwords, ATTACKER);

    // Act
    moveTo(86_400);
    const nextDay = await wrongPassword(passwords, ATTACKER);

    // Assess: counted from one again, so no delay.
    expect(nextDay).toBeUndefined();
  });

  it('throttles one account without affecting another', async () => {
    // Prepare
    const { passwords } = await createLimitsFixture();
    for (let attempt = 0; attempt < 5; attempt += 1) await wrongPassword(passwords, ATTACKER);

    // Act
    const other = passwords.admitAttempt('account-b', ATTACKER);

    // Assess
    await expect(other).resolves.toMatchObject({ accountKey: 'account-b' });
  });

  it('lets only 5 of 20 parallel attempts from one network through, and delays the rest', async () => {
    // Prepare
    const { passwords } = await createLimitsFixture();

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => passwords.admitAttempt('account-a', ATTACKER)),
    );

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    for (const result of results.filter((result) => result.status === 'rejected')) {
      expect(result.reason).toBeInstanceOf(TooManyAttemptsError);
      expect(result.reason).toMatchObject({ reason: 'password-delayed' });
    }
  });

  it('counts IPv6 addresses of one /64 as one source', async () => {
    // Prepare
    const { passwords } = await createLimitsFixture();
    for (let attempt = 1; attempt <= 5; attempt += 1)
      await wrongPassword(passwords, { kind: 'network', ip: `2001:db8:1:2::${attempt}` });

    // Act
    const sameSlash64 = await rejectionOf(
      passwords.admitAttempt('account-a', { kind: 'network', ip: '2001:db8:1:2:ffff::9' }),
    );
    const otherSlash64 = passwords.admitAttempt('account-a', { kind: 'network', ip: '2001:db8:1:3::1' });

    // Assess
    expect(sameSlash64).toMatchObject({ reason: 'password-delayed' });
    await expect(otherSlash64).resolves.toMatchObject({ accountKey: 'account-a' });
  });

  it('refuses a network after 50 failures across accounts for the rest of its 15-minute window', async () => {
    // Prepare: 50 wrong passwords at once, each for another account.
    const { passwords, moveTo } = await createLimitsFixture();
    moveTo(120);
    await Promise.all(
      Array.from({ length: 50 }, (_, index) => wrongPassword(passwords, ATTACKER, `account-${index}`)),
    );

    // Act
    const fromThrottledIp = await rejectionOf(passwords.admitAttempt('account-new', ATTACKER));
    const fromOtherIp = passwords.admitAttempt('account-new', PATIENT_HOME);
    const fromDevice = passwords.admitAttempt('account-new', PATIENT_DEVICE);
    moveTo(900);
    const nextWindow = passwords.admitAttempt('account-newer', ATTACKER);

    // Assess
    expect(fromThrottledIp).toMatchObject({ reason: 'ip-throttled', retryAt: at(900) });
    await expect(fromOtherIp).resolves.toMatchObject({ accountKey: 'account-new' });
    await expect(fromDevice).resolves.toMatchObject({ accountKey: 'account-new' });
    await expect(nextWindow).resolves.toMatchObject({ accountKey: 'account-newer' });
  });

  it('follows overridden limits', async () => {
    // Prepare
    const { passwords } = await createLimitsFixture({
      passwordFailuresBeforeDelay: 2,
      passwordDelayBaseSeconds: 30,
    });
    await wrongPassword(passwords, ATTACKER);

    // Act
    const second = await wrongPassword(passwords, ATTACKER);

    // Assess
    expect(second).toEqual(at(30));
  });
});
