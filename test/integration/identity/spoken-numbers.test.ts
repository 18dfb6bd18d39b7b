import { describe, expect, it } from 'vitest';
import { DynamoSpokenNumbersStore } from '../../../src/adapters/dynamodb/dynamo-spoken-numbers-store.ts';
import {
  randomSpokenNumbers,
  SpokenNumbers,
  SpokenNumbersUnusableError,
} from '../../../src/domain/identity/photo-id/spoken-numbers.ts';
import { movableClock } from '../../support/page-client.ts';
import { createTestTable } from '../../support/test-table.ts';

describe('the 4 numbers a photo-ID video must show', () => {
  const numbersOn = async () => {
    const clock = movableClock(new Date('2026-12-01T10:00:00Z'));
    const table = await createTestTable(clock);
    return {
      clock,
      numbers: new SpokenNumbers({
        store: new DynamoSpokenNumbersStore(table),
        clock,
        lifetimeSeconds: 1800,
      }),
    };
  };

  it('makes 4 different digits, and not the same ones every time', () => {
    // Act
    const drawn = Array.from({ length: 200 }, randomSpokenNumbers);

    // Assess
    for (const numbers of drawn) {
      expect(numbers).toMatch(/^\d{4}$/);
      expect(new Set(numbers).size).toBe(4);
    }
    expect(new Set(drawn).size).toBeGreaterThan(150);
  });

  it('gives the numbers back once, to the challenge that showed them', async () => {
    // Prepare
    const { numbers } = await numbersOn();
    const challenge = await numbers.issue('account-1');

    // Act
    const used = await numbers.use('account-1', challenge.challengeId);
    const again = numbers.use('account-1', challenge.challengeId);

    // Assess
    expect(used).toBe(challenge.numbers);
    await expect(again).rejects.toBeInstanceOf(SpokenNumbersUnusableError);
  });

  it.each([
    ['a challenge that was replaced by newer numbers', 'replaced'],
    ['a challenge past its lifetime', 'expired'],
    ['another account’s challenge', 'other-account'],
    ['a challenge that never was', 'unknown'],
  ])('refuses %s', async (_case, kind) => {
    // Prepare
    const { numbers, clock } = await numbersOn();
    const challenge = await numbers.issue('account-1');
    if (kind === 'replaced') await numbers.issue('account-1');
    if (kind === 'expired') clock.advance(1801);

    // Act
    const using = numbers.use(
      kind === 'other-account' ? 'account-2' : 'account-1',
      kind === 'unknown' ? 'not-a-challenge' : challenge.challengeId,
    );

    // Assess
    await expect(using).rejects.toBeInstanceOf(SpokenNumbersUnusableError);
  });

  it('lets exactly one of two uses racing for the same numbers win', async () => {
    // Prepare
    const { numbers } = await numbersOn();
    const challenge = await numbers.issue('account-1');

    // Act
    const outcomes = await Promise.allSettled([
      numbers.use('account-1', challenge.challengeId),
      numbers.use('account-1', challenge.challengeId),
    ]);

    // Assess
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });
});
