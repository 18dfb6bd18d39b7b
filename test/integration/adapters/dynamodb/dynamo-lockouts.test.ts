import { describe, expect, it } from 'vitest';
import { at, createLimitsFixture } from '../../../support/limits-fixture.ts';

describe('DynamoLockouts', () => {
  it('says a key is not locked when it never was', async () => {
    // Prepare
    const { lockouts } = await createLimitsFixture();

    // Act
    const lockedUntil = await lockouts.lockedUntil('test-lock', 'someone');

    // Assess
    expect(lockedUntil).toBeUndefined();
  });

  it('locks a key until the given time and no longer', async () => {
    // Prepare
    const { lockouts, moveTo } = await createLimitsFixture();
    await lockouts.lock('test-lock', 'someone', at(900));

    // Act
    moveTo(899);
    const justBefore = await lockouts.lockedUntil('test-lock', 'someone');
    moveTo(900);
    const atTheEnd = await lockouts.lockedUntil('test-lock', 'someone');

    // Assess
    expect(justBefore).toEqual(at(900));
    expect(atTheEnd).toBeUndefined();
  });

  it('rounds a lock up to the whole second, so it never ends early', async () => {
    // Prepare
    const { lockouts } = await createLimitsFixture();

    // Act
    await lockouts.lock('test-lock', 'someone', new Date(at(900).getTime() + 1));

    // Assess
    expect(await lockouts.lockedUntil('test-lock', 'someone')).toEqual(at(901));
  });

  it('locks keys separately by scope and id', async () => {
    // Prepare
    const { lockouts } = await createLimitsFixture();

    // Act
    await lockouts.lock('test-lock', 'someone', at(900));

    // Assess
    expect(await lockouts.lockedUntil('test-lock', 'someone-else')).toBeUndefined();
    expect(await lockouts.lockedUntil('other-lock', 'someone')).toBeUndefined();
  });

  it('replaces a lock with a new one', async () => {
    // Prepare
    const { lockouts } = await createLimitsFixture();
    await lockouts.lock('test-lock', 'someone', at(900));

    // Act
    await lockouts.lock('test-lock', 'someone', at(1800));

    // Assess
    expect(await lockouts.lockedUntil('test-lock', 'someone')).toEqual(at(1800));
  });

  it('lifts a lock, and clearing an unlocked key does nothing', async () => {
    // Prepare
    const { lockouts } = await createLimitsFixture();
    await lockouts.lock('test-lock', 'someone', at(900));

    // Act
    await lockouts.clear('test-lock', 'someone');
    await lockouts.clear('test-lock', 'never-locked');

    // Assess
    expect(await lockouts.lockedUntil('test-lock', 'someone')).toBeUndefined();
  });
});
