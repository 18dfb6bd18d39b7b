import { describe, expect, it } from 'vitest';
import { TooManyAttemptsError } from '../../../../src/domain/limits/too-many-attempts-error.ts';
import { at, createLimitsFixture, rejectionOf } from '../../../support/limits-fixture.ts';

/** A number being added: it has a daily cap of its own across accounts. */
const PHONE = { address: '+447700900123', confirmed: false };
const MIDNIGHT = new Date('2026-11-23T00:00:00Z');
const secondsToMidnight = (MIDNIGHT.getTime() - at(0).getTime()) / 1000;

describe('CodeSendThrottle', () => {
  it('allows 5 sends to an account in 15 minutes and refuses the 6th until the window ends', async () => {
    // Prepare
    const { codeSends, moveTo } = await createLimitsFixture();
    for (let send = 1; send <= 5; send += 1) {
      moveTo(send * 60);
      await codeSends.checkAllowed('account-a', PHONE);
      await codeSends.reserve('account-a', PHONE);
    }
    moveTo(400);

    // Act
    const checked = await rejectionOf(codeSends.checkAllowed('account-a', PHONE));
    const reserved = await rejectionOf(codeSends.reserve('account-a', PHONE));

    // Assess
    for (const refusal of [checked, reserved]) {
      expect(refusal).toBeInstanceOf(TooManyAttemptsError);
      expect(refusal).toMatchObject({ reason: 'code-sends-exceeded', retryAt: at(900) });
    }
  });

  it('allows sends to the account again when the next window starts', async () => {
    // Prepare
    const { codeSends, moveTo } = await createLimitsFixture();
    for (let send = 1; send <= 5; send += 1) await codeSends.reserve('account-a', PHONE);

    // Act
    moveTo(900);
    const next = codeSends.reserve('account-a', PHONE);

    // Assess
    await expect(next).resolves.toBeUndefined();
  });

  it('caps one phone number at 10 codes a day, across accounts, until midnight UTC', async () => {
    // Prepare
    const { codeSends } = await createLimitsFixture();
    for (const account of ['account-a', 'account-b']) {
      for (let send = 1; send <= 5; send += 1) await codeSends.reserve(account, PHONE);
    }

    // Act
    const checked = await rejectionOf(codeSends.checkAllowed('account-c', PHONE));
    const reserved = await rejectionOf(codeSends.reserve('account-c', PHONE));
    const otherPhone = codeSends.reserve('account-d', { address: '+447700900456', confirmed: false });

    // Assess
    for (const refusal of [checked, reserved]) {
      expect(refusal).toBeInstanceOf(TooManyAttemptsError);
      expect(refusal).toMatchObject({ reason: 'phone-daily-cap', retryAt: MIDNIGHT });
    }
    await expect(otherPhone).resolves.toBeUndefined();
  });

  it('allows the phone number again after midnight UTC', async () => {
    // Prepare
    const { codeSends, moveTo } = await createLimitsFixture();
    for (const account of ['account-a', 'account-b']) {
      for (let send = 1; send <= 5; send += 1) await codeSends.reserve(account, PHONE);
    }
    moveTo(secondsToMidnight - 1);
    const lastSecond = await rejectionOf(codeSends.reserve('account-c', PHONE));

    // Act
    moveTo(secondsToMidnight);
    const nextDay = codeSends.reserve('account-c', PHONE);

    // Assess
    expect(lastSecond).toMatchObject({ reason: 'phone-daily-cap' });
    await expect(nextDay).resolves.toBeUndefined();
  });

  it('counts nothing when only checking', async () => {
    // Prepare
    const { codeSends } = await createLimitsFixture();
    for (let check = 1; check <= 20; check += 1) await codeSends.checkAllowed('account-a', PHONE);

    // Act
    for (let send = 1; send <= 5; send += 1) await codeSends.reserve('account-a', PHONE);

    // Assess
    await expect(codeSends.reserve('account-a', PHONE)).rejects.toMatchObject({
      reason: 'code-sends-exceeded',
    });
  });

  it('names the cap that lasts longer when both are used up', async () => {
    // Prepare
    const { codeSends } = await createLimitsFixture();
    for (const account of ['account-a', 'account-b']) {
      for (let send = 1; send <= 5; send += 1) await codeSends.reserve(account, PHONE);
    }

    // Act
    const refusal = await rejectionOf(codeSends.checkAllowed('account-b', PHONE));

    // Assess
    expect(refusal).toMatchObject({ reason: 'phone-daily-cap', retryAt: MIDNIGHT });
  });

  it('shows the phone’s refusal for a send the account cap refused when the phone’s day is used up too', async () => {
    // Prepare
    const { codeSends } = await createLimitsFixture();
    for (const account of ['account-a', 'account-b']) {
      for (let send = 1; send <= 5; send += 1) await codeSends.reserve(account, PHONE);
    }
    const refused = await rejectionOf(codeSends.reserve('account-b', PHONE));

    // Act
    const shown = await codeSends.refusalToShow(refused as TooManyAttemptsError, PHONE);
    const otherNumber = await codeSends.refusalToShow(refused as TooManyAttemptsError, {
      address: '+447700900999',
      confirmed: false,
    });

    // Assess
    expect(refused).toMatchObject({ reason: 'code-sends-exceeded', retryAt: at(900) });
    expect(shown).toMatchObject({ reason: 'phone-daily-cap', retryAt: MIDNIGHT });
    expect(otherNumber).toBe(refused);
  });

  it('lets exactly 5 of 20 parallel sends to one account through', async () => {
    // Prepare
    const { codeSends } = await createLimitsFixture();

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => codeSends.reserve('account-a', PHONE)),
    );

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    for (const result of results.filter((result) => result.status === 'rejected')) {
      expect(result.reason).toMatchObject({ reason: 'code-sends-exceeded', retryAt: at(900) });
    }
  });

  it('follows overridden caps', async () => {
    // Prepare
    const { codeSends } = await createLimitsFixture({ codeSendsPerPhone: 2 });
    await codeSends.reserve('account-a', PHONE);
    await codeSends.reserve('account-b', PHONE);

    // Act
    const third = await rejectionOf(codeSends.reserve('account-c', PHONE));

    // Assess
    expect(third).toMatchObject({ reason: 'phone-daily-cap', retryAt: MIDNIGHT });
  });

  it('counts codes to a confirmed number apart, so adding a number elsewhere cannot use up its owner’s day', async () => {
    // Prepare: strangers' accounts use up the number's day as a number being added
    const { codeSends } = await createLimitsFixture();
    for (const account of ['stranger-a', 'stranger-b']) {
      for (let send = 1; send <= 5; send += 1) await codeSends.reserve(account, PHONE);
    }
    const asNewNumber = await rejectionOf(codeSends.checkAllowed('stranger-c', PHONE));

    // Act
    const toItsOwner = codeSends.reserve('owner', { address: PHONE.address, confirmed: true });

    // Assess
    expect(asNewNumber).toMatchObject({ reason: 'phone-daily-cap' });
    await expect(toItsOwner).resolves.toBeUndefined();
  });

  it('caps a confirmed number at 30 codes a day across the accounts that confirmed it', async () => {
    // Prepare
    const { codeSends } = await createLimitsFixture();
    const confirmed = { address: PHONE.address, confirmed: true };
    for (let account = 0; account < 6; account += 1) {
      for (let send = 1; send <= 5; send += 1) await codeSends.reserve(`owner-${account}`, confirmed);
    }

    // Act
    const thirtyFirst = await rejectionOf(codeSends.reserve('owner-6', confirmed));

    // Assess
    expect(thirtyFirst).toMatchObject({ reason: 'phone-daily-cap' });
  });
});
