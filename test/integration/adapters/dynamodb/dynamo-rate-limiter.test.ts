import { describe, expect, it } from 'vitest';
import { keys } from '../../../../src/adapters/dynamodb/keys.ts';
import type { RateRule } from '../../../../src/domain/limits/rate-limiter.ts';
import { at, createLimitsFixture, START } from '../../../support/limits-fixture.ts';

const rule: RateRule = { scope: 'test-hits', limit: 3, windowSeconds: 900 };
const windowStart = START.getTime() / 1000;

describe('DynamoRateLimiter', () => {
  it('allows hits up to the limit and refuses the next until the window ends', async () => {
    // Prepare
    const { rateLimiter, moveTo } = await createLimitsFixture();
    moveTo(100);

    // Act
    const hits = [];
    for (let index = 0; index < 4; index += 1) hits.push(await rateLimiter.hit(rule, 'someone'));

    // Assess
    expect(hits).toEqual([
      { allowed: true, remaining: 2, retryAt: at(900) },
      { allowed: true, remaining: 1, retryAt: at(900) },
      { allowed: true, remaining: 0, retryAt: at(900) },
      { allowed: false, remaining: 0, retryAt: at(900) },
    ]);
  });

  it('counts 20 concurrent hits exactly', async () => {
    // Prepare
    const { rateLimiter } = await createLimitsFixture();
    const wide: RateRule = { ...rule, limit: 100 };

    // Act
    const hits = await Promise.all(Array.from({ length: 20 }, () => rateLimiter.hit(wide, 'busy')));

    // Assess
    expect(hits.map((hit) => hit.remaining).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, index) => 80 + index),
    );
    expect(await rateLimiter.peek(wide, 'busy')).toMatchObject({ remaining: 80 });
  });

  it('lets exactly the limit through when many hit at once', async () => {
    // Prepare
    const { rateLimiter } = await createLimitsFixture();

    // Act
    const hits = await Promise.all(Array.from({ length: 20 }, () => rateLimiter.hit(rule, 'burst')));

    // Assess
    expect(hits.filter((hit) => hit.allowed)).toHaveLength(3);
  });

  it('peeks without counting, and says no once the limit is used up', async () => {
    // Prepare
    const { rateLimiter } = await createLimitsFixture();
    for (let index = 0; index < 5; index += 1) await rateLimiter.peek(rule, 'someone');
    const before = await rateLimiter.peek(rule, 'someone');
    for (let index = 0; index < 3; index += 1) await rateLimiter.hit(rule, 'someone');

    // Act
    const after = await rateLimiter.peek(rule, 'someone');

    // Assess
    expect(before).toEqual({ allowed: true, remaining: 3, retryAt: at(900) });
    expect(after).toEqual({ allowed: false, remaining: 0, retryAt: at(900) });
  });

  it('starts counting afresh when the next window starts', async () => {
    // Prepare
    const { rateLimiter, moveTo } = await createLimitsFixture();
    for (let index = 0; index < 4; index += 1) await rateLimiter.hit(rule, 'someone');
    moveTo(899);
    const lastSecond = await rateLimiter.peek(rule, 'someone');

    // Act
    moveTo(900);
    const next = await rateLimiter.hit(rule, 'someone');

    // Assess
    expect(lastSecond.allowed).toBe(false);
    expect(next).toEqual({ allowed: true, remaining: 2, retryAt: at(1800) });
  });

  it('aligns a day-long window to midnight UTC', async () => {
    // Prepare
    const { rateLimiter } = await createLimitsFixture();

    // Act
    const hit = await rateLimiter.hit({ scope: 'daily', limit: 10, windowSeconds: 86_400 }, 'someone');

    // Assess
    expect(hit.retryAt).toEqual(new Date('2026-11-23T00:00:00Z'));
  });

  it('resets the count of one id in one scope only', async () => {
    // Prepare
    const { rateLimiter } = await createLimitsFixture();
    const other: RateRule = { ...rule, scope: 'test-other' };
    for (const [countedRule, id] of [
      [rule, 'a'],
      [rule, 'b'],
      [other, 'a'],
    ] as const) {
      await rateLimiter.hit(countedRule, id);
    }

    // Act
    await rateLimiter.reset(rule, 'a');
    await rateLimiter.reset(rule, 'never-counted');

    // Assess
    expect(await rateLimiter.peek(rule, 'a')).toMatchObject({ remaining: 3 });
    expect(await rateLimiter.peek(rule, 'b')).toMatchObject({ remaining: 2 });
    expect(await rateLimiter.peek(other, 'a')).toMatchObject({ remaining: 2 });
  });

  it('keeps the counted id out of the key and lets the item expire with its window', async () => {
    // Prepare
    const { rateLimiter, table } = await createLimitsFixture();

    // Act
    await rateLimiter.hit(rule, '+447700900123');

    // Assess
    const key = keys.counter(rule.scope, '+447700900123', windowStart);
    expect(JSON.stringify(key)).not.toContain('447700900123');
    expect(await table.get(key)).toMatchObject({ hits: 1, expiresAt: windowStart + 900 });
  });
});
