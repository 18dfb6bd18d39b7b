import { describe, expect, it } from 'vitest';
import { DynamoSecurityCodeStore } from '../../../../src/adapters/dynamodb/dynamo-security-code-store.ts';
import { keys } from '../../../../src/adapters/dynamodb/keys.ts';
import { TooManyAttemptsError } from '../../../../src/domain/limits/too-many-attempts-error.ts';
import {
  IncorrectSecurityCodeError,
  MalformedSecurityCodeError,
  NoSecurityCodeError,
  SecurityCodeExpiredError,
  SecurityCodeReplacedError,
  SecurityCodeUsedError,
} from '../../../../src/domain/security-codes/security-code-errors.ts';
import { at, createLimitsFixture, rejectionOf } from '../../../support/limits-fixture.ts';

const ACCOUNT = 'account-a';
const login = { accountId: ACCOUNT, purpose: 'login', channel: 'sms' } as const;
const entry = (code: string) => ({ accountId: ACCOUNT, purpose: 'login', code }) as const;
/** A code that is certainly not `code`. */
/** A code that is none of those given. */
const otherThan = (...codes: string[]) => {
  let candidate = Number(codes[0]);
  do candidate = (candidate + 1) % 1_000_000;
  while (codes.includes(String(candidate).padStart(6, '0')));
  return String(candidate).padStart(6, '0');
};

describe('SecurityCodes', () => {
  it('issues a 6-digit code and keeps only its salted hash', async () => {
    // Prepare
    const { codes, table } = await createLimitsFixture();

    // Act
    const code = await codes.issue(login);

    // Assess
    expect(code).toMatch(/^\d{6}$/);
    const item = await table.get(keys.securityCode(ACCOUNT, 'login'));
    expect(item).toMatchObject({ channel: 'sms', attempts: 0, validUntil: at(300).getTime() / 1000 });
    expect(JSON.stringify(item)).not.toContain(code);
  });

  it('accepts the right code once and refuses a second use', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const code = await codes.issue(login);

    // Act
    const first = codes.verify(entry(code));
    const second = rejectionOf(first.then(() => codes.verify(entry(code))));

    // Assess
    await expect(first).resolves.toBeUndefined();
    expect(await second).toBeInstanceOf(SecurityCodeUsedError);
  });

  it('accepts a code with spaces in it', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const code = await codes.issue(login);

    // Act
    const verified = codes.verify(entry(` ${code.slice(0, 3)} ${code.slice(3)} `));

    // Assess
    await expect(verified).resolves.toBeUndefined();
  });

  it('accepts a code until 5 minutes after it was issued and refuses it from then on', async () => {
    // Prepare
    const { codes, moveTo } = await createLimitsFixture();
    const early = await codes.issue(login);
    const late = await codes.issue({ ...login, purpose: 'change-phone' });

    // Act
    moveTo(299);
    const inTime = await codes.verify(entry(early)).then(() => 'accepted');
    moveTo(300);
    const expired = await rejectionOf(codes.verify({ ...entry(late), purpose: 'change-phone' }));

    // Assess
    expect(inTime).toBe('accepted');
    expect(expired).toBeInstanceOf(SecurityCodeExpiredError);
  });

  it('refuses an entry when no code was issued for that purpose', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const code = await codes.issue(login);

    // Act
    const otherPurpose = await rejectionOf(codes.verify({ ...entry(code), purpose: 'add-phone' }));
    const otherAccount = await rejectionOf(codes.verify({ ...entry(code), accountId: 'account-b' }));

    // Assess
    expect(otherPurpose).toBeInstanceOf(NoSecurityCodeError);
    expect(otherAccount).toBeInstanceOf(NoSecurityCodeError);
  });

  it('counts down the attempts left on each wrong code', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const wrong = otherThan(await codes.issue(login));

    // Act
    const refusals = [];
    for (let attempt = 1; attempt <= 4; attempt += 1)
      refusals.push(await rejectionOf(codes.verify(entry(wrong))));

    // Assess
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(IncorrectSecurityCodeError);
    expect(refusals.map((refusal) => (refusal as IncorrectSecurityCodeError).attemptsLeft)).toEqual([
      4, 3, 2, 1,
    ]);
  });

  it('ends the code on the 5th wrong entry and locks code entry for 15 minutes', async () => {
    // Prepare
    const { codes, moveTo } = await createLimitsFixture();
    const code = await codes.issue(login);
    for (let attempt = 1; attempt <= 4; attempt += 1) await rejectionOf(codes.verify(entry(otherThan(code))));
    moveTo(60);

    // Act
    const fifth = await rejectionOf(codes.verify(entry(otherThan(code))));
    const rightCodeAfter = await rejectionOf(codes.verify(entry(code)));
    const otherPurpose = await rejectionOf(codes.verify({ ...entry(code), purpose: 'change-phone' }));
    const newCode = await rejectionOf(codes.issue(login));

    // Assess
    for (const refusal of [fifth, rightCodeAfter, otherPurpose, newCode]) {
      expect(refusal).toBeInstanceOf(TooManyAttemptsError);
      expect(refusal).toMatchObject({ reason: 'code-entry-locked', retryAt: at(960) });
    }
  });

  it('lets a new code be issued and used when the lock ends, but not the ended one', async () => {
    // Prepare: a 20-minute code, so the ended code has not expired when the lock ends.
    const { codes, moveTo } = await createLimitsFixture({ securityCodeLifetimeSeconds: 1200 });
    const ended = await codes.issue(login);
    for (let attempt = 1; attempt <= 5; attempt += 1)
      await rejectionOf(codes.verify(entry(otherThan(ended))));
    moveTo(900);

    // Act
    const endedCode = await rejectionOf(codes.verify(entry(ended)));
    const fresh = await codes.issue(login);
    const freshVerified = codes.verify(entry(fresh));

    // Assess
    expect(endedCode).toBeInstanceOf(NoSecurityCodeError);
    await expect(freshVerified).resolves.toBeUndefined();
  });

  it('replaces the previous code when a new one is issued: the replaced one says so and takes no try, wrong entries still count', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const first = await codes.issue(login);
    for (let attempt = 1; attempt <= 3; attempt += 1)
      await rejectionOf(codes.verify(entry(otherThan(first))));
    let second = await codes.issue(login);
    // A new code equal to the old one (one in a million) is issued again: the replaced one is still `first`.
    while (second === first) second = await codes.issue(login);

    // Act
    const replaced = await rejectionOf(codes.verify(entry(first)));
    const wrong = await rejectionOf(codes.verify(entry(otherThan(second, first))));
    const current = codes.verify(entry(second));

    // Assess
    expect(replaced).toBeInstanceOf(SecurityCodeReplacedError);
    expect(wrong).toBeInstanceOf(IncorrectSecurityCodeError);
    expect(wrong).toMatchObject({ attemptsLeft: 1 });
    await expect(current).resolves.toBeUndefined();
  });

  it('gives no more guesses for asking for a new code: 4 wrong, a resend, then the 5th wrong locks entry', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const first = await codes.issue(login);
    for (let attempt = 1; attempt <= 4; attempt += 1)
      await rejectionOf(codes.verify(entry(otherThan(first))));
    const second = await codes.issue(login);

    // Act
    const fifth = await rejectionOf(codes.verify(entry(otherThan(second))));
    const rightAfterLock = await rejectionOf(codes.verify(entry(second)));
    const resendWhileLocked = await rejectionOf(codes.issue(login));

    // Assess
    expect(fifth).toMatchObject({ reason: 'code-entry-locked', retryAt: at(900) });
    expect(rightAfterLock).toMatchObject({ reason: 'code-entry-locked' });
    expect(resendWhileLocked).toMatchObject({ reason: 'code-entry-locked' });
  });

  it('gives no more guesses for switching purpose: wrong codes for login and a new phone add up', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const loginCode = await codes.issue(login);
    const phoneCode = await codes.issue({ ...login, purpose: 'add-phone', destination: '+447700900123' });
    for (let attempt = 1; attempt <= 3; attempt += 1)
      await rejectionOf(codes.verify(entry(otherThan(loginCode))));

    // Act
    const fourth = await rejectionOf(
      codes.verify({
        accountId: ACCOUNT,
        purpose: 'add-phone',
        code: otherThan(phoneCode),
        destination: '+447700900123',
      }),
    );
    const fifth = await rejectionOf(
      codes.verify({
        accountId: ACCOUNT,
        purpose: 'add-phone',
        code: otherThan(phoneCode),
        destination: '+447700900123',
      }),
    );

    // Assess
    expect(fourth).toMatchObject({ attemptsLeft: 1 });
    expect(fifth).toMatchObject({ reason: 'code-entry-locked' });
  });

  it('forgets wrong codes after a right one, and 15 minutes after the last wrong one', async () => {
    // Prepare
    const { codes, moveTo } = await createLimitsFixture();
    let code = await codes.issue(login);
    for (let attempt = 1; attempt <= 4; attempt += 1) await rejectionOf(codes.verify(entry(otherThan(code))));
    await codes.verify(entry(code));
    code = await codes.issue(login);
    for (let attempt = 1; attempt <= 4; attempt += 1) await rejectionOf(codes.verify(entry(otherThan(code))));
    moveTo(900);
    code = await codes.issue(login);

    // Act
    const afterQuietSpell = await rejectionOf(codes.verify(entry(otherThan(code))));

    // Assess
    expect(afterQuietSpell).toMatchObject({ attemptsLeft: 4 });
  });

  it.each([
    ['an empty entry', ''],
    ['five digits', '12345'],
    ['seven digits', '1234567'],
    ['letters', 'abcdef'],
    ['a letter among digits', '12a456'],
    ['a sign', '-12345'],
    ['full-width digits', '１２３４５６'],
  ])('refuses %s without counting it as an attempt', async (_, entered) => {
    // Prepare
    const { codes, table } = await createLimitsFixture();
    await codes.issue(login);

    // Act
    const refusal = await rejectionOf(codes.verify(entry(entered)));

    // Assess
    expect(refusal).toBeInstanceOf(MalformedSecurityCodeError);
    expect(await table.get(keys.securityCode(ACCOUNT, 'login'))).toMatchObject({ attempts: 0 });
  });

  it('compares no more than 5 of many wrong entries made at once across two purposes', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const loginCode = await codes.issue(login);
    const resetCode = await codes.issue({ ...login, purpose: 'reset-password' });

    // Act
    const results = await Promise.allSettled([
      ...Array.from({ length: 8 }, () => codes.verify(entry(otherThan(loginCode)))),
      ...Array.from({ length: 8 }, () =>
        codes.verify({ accountId: ACCOUNT, purpose: 'reset-password', code: otherThan(resetCode) }),
      ),
    ]);

    // Assess: at most 4 told "not right"; the rest locked out, or past their own code's attempts
    const reasons = results.map((result) => (result as PromiseRejectedResult).reason);
    expect(
      reasons.filter((reason) => reason instanceof IncorrectSecurityCodeError).length,
    ).toBeLessThanOrEqual(4);
    expect(
      reasons.filter(
        (reason) => reason instanceof TooManyAttemptsError || reason instanceof NoSecurityCodeError,
      ).length,
    ).toBeGreaterThanOrEqual(12);
    await expect(codes.verify(entry(loginCode))).rejects.toMatchObject({ reason: 'code-entry-locked' });
  });

  it('lets exactly one of 5 concurrent right entries use the code', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const code = await codes.issue(login);

    // Act
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => codes.verify(entry(code))));

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((result) => result.status === 'rejected')) {
      expect(result.reason).toBeInstanceOf(SecurityCodeUsedError);
    }
  });

  it('counts 12 concurrent wrong entries atomically: 4 are told incorrect, the rest refused, then entry is locked', async () => {
    // Prepare
    const { codes } = await createLimitsFixture();
    const code = await codes.issue(login);

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => codes.verify(entry(otherThan(code)))),
    );

    // Assess
    const reasons = results.map((result) => (result as PromiseRejectedResult).reason);
    expect(reasons.filter((reason) => reason instanceof IncorrectSecurityCodeError)).toHaveLength(4);
    expect(
      reasons.filter((reason) => reason instanceof TooManyAttemptsError).length +
        reasons.filter((reason) => reason instanceof NoSecurityCodeError).length,
    ).toBe(8);
    await expect(codes.verify(entry(code))).rejects.toMatchObject({ reason: 'code-entry-locked' });
  });
});

describe('DynamoSecurityCodeStore', () => {
  it('does not let a check of a replaced code use up the new one', async () => {
    // Prepare
    const { codes, table } = await createLimitsFixture();
    const store = new DynamoSecurityCodeStore(table);
    await codes.issue(login);
    const replaced = await store.countAttempt(ACCOUNT, 'login');
    await codes.issue(login);

    // Act
    const refusal = await rejectionOf(store.markUsed(ACCOUNT, 'login', replaced?.codeId ?? ''));

    // Assess
    expect(refusal).toBeInstanceOf(NoSecurityCodeError);
    expect(await table.get(keys.securityCode(ACCOUNT, 'login'))).not.toHaveProperty('consumedAt');
  });

  it('counts no attempt on a code that is not there', async () => {
    // Prepare
    const { table } = await createLimitsFixture();
    const store = new DynamoSecurityCodeStore(table);

    // Act
    const counted = await store.countAttempt(ACCOUNT, 'login');

    // Assess
    expect(counted).toBeUndefined();
    expect(await table.get(keys.securityCode(ACCOUNT, 'login'))).toBeUndefined();
  });

  it('tells an expired code from no code for an hour, then forgets it', async () => {
    // Prepare
    const { codes, moveTo } = await createLimitsFixture();
    const code = await codes.issue(login);

    // Act
    moveTo(300 + 3599);
    const withinTheHour = await rejectionOf(codes.verify(entry(code)));
    moveTo(300 + 3600);
    const afterIt = await rejectionOf(codes.verify(entry(code)));

    // Assess
    expect(withinTheHour).toBeInstanceOf(SecurityCodeExpiredError);
    expect(afterIt).toBeInstanceOf(NoSecurityCodeError);
  });
});
