import { describe, expect, it } from 'vitest';
import { defaultLimits, limitOverridesSchema, resolveLimits } from '../../../../src/domain/limits/limits.ts';

describe('resolveLimits', () => {
  it('gives the safe defaults when nothing is overridden', () => {
    // Act
    const limits = resolveLimits();

    // Assess
    expect(limits).toEqual(defaultLimits);
    expect(limits).toMatchObject({
      securityCodeLifetimeSeconds: 300,
      securityCodeAttempts: 5,
      securityCodeLockoutSeconds: 900,
      codeSendsPerAccount: 5,
      codeSendsPerAccountWindowSeconds: 900,
      codeSendsPerPhone: 10,
      codeSendsPerPhoneWindowSeconds: 86_400,
      passwordFailuresBeforeDelay: 5,
      passwordAccountFailuresBeforeDelay: 10,
      passwordDelayBaseSeconds: 60,
      passwordDelayMaxSeconds: 900,
      passwordFailuresHardStop: 100,
      passwordFailuresPerIp: 50,
      passwordFailuresPerIpWindowSeconds: 900,
      confirmationLinkLifetimeSeconds: 86_400,
      resetLinkLifetimeSeconds: 3600,
      sessionIdleSeconds: 1800,
      sessionAbsoluteSeconds: 43_200,
      rememberedDeviceLifetimeSeconds: 15_552_000,
      phoneChangeCancelLinkLifetimeSeconds: 86_400,
    });
  });

  it('applies a partial override and keeps every other default', () => {
    // Act
    const limits = resolveLimits({ codeSendsPerPhone: 20, passwordDelayMaxSeconds: 1800 });

    // Assess
    expect(limits).toEqual({ ...defaultLimits, codeSendsPerPhone: 20, passwordDelayMaxSeconds: 1800 });
  });

  it('treats an override given as undefined as not given', () => {
    // Act
    const limits = resolveLimits({ securityCodeAttempts: undefined });

    // Assess
    expect(limits.securityCodeAttempts).toBe(5);
  });

  it.each([
    ['zero', { securityCodeAttempts: 0 }, 'securityCodeAttempts'],
    ['a negative number', { passwordDelayMaxSeconds: -900 }, 'passwordDelayMaxSeconds'],
    ['a fraction', { securityCodeLifetimeSeconds: 300.5 }, 'securityCodeLifetimeSeconds'],
    ['a number given as text', { codeSendsPerPhone: '10' }, 'codeSendsPerPhone'],
    ['not a number', { codeSendsPerAccount: Number.NaN }, 'codeSendsPerAccount'],
    ['infinity', { sessionAbsoluteSeconds: Number.POSITIVE_INFINITY }, 'sessionAbsoluteSeconds'],
    ['a number beyond safe integers', { resetLinkLifetimeSeconds: 2 ** 60 }, 'resetLinkLifetimeSeconds'],
    ['null', { passwordFailuresPerIp: null }, 'passwordFailuresPerIp'],
    ['an unknown limit name', { securityCodeAttempt: 3 }, 'securityCodeAttempt'],
  ])('refuses %s, naming the limit', (_, overrides, name) => {
    // Act
    const resolve = () => resolveLimits(overrides);

    // Assess
    expect(resolve).toThrow(/^Invalid limits: /);
    expect(resolve).toThrow(name);
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'codeSendsPerPhone=20'],
  ])('refuses overrides given as %s', (_, overrides) => {
    // Act
    const resolve = () => resolveLimits(overrides);

    // Assess
    expect(resolve).toThrow(/^Invalid limits: limits: /);
  });

  it('names every invalid override at once', () => {
    // Act
    const resolve = () => resolveLimits({ securityCodeAttempts: 0, codeSendsPerPhone: -1 });

    // Assess
    expect(resolve).toThrow(/securityCodeAttempts: .*; codeSendsPerPhone: /);
  });

  it('refuses a session idle timeout longer than the absolute timeout', () => {
    // Act
    const resolve = () => resolveLimits({ sessionIdleSeconds: 50_000 });

    // Assess
    expect(resolve).toThrow('sessionIdleSeconds must not exceed sessionAbsoluteSeconds');
  });
});

describe('limitOverridesSchema', () => {
  it('accepts an empty object and every limit name with a positive whole number', () => {
    // Prepare
    const everyLimit = Object.fromEntries(Object.keys(defaultLimits).map((name) => [name, 1]));

    // Act
    const results = [limitOverridesSchema.safeParse({}), limitOverridesSchema.safeParse(everyLimit)];

    // Assess
    expect(results.map((result) => result.success)).toEqual([true, true]);
  });
});
