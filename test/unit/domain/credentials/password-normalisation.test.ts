import { describe, expect, it } from 'vitest';
import { normalisePassword } from '../../../../src/domain/credentials/password-normalisation.ts';

describe('normalisePassword', () => {
  it('makes a composed and a decomposed é the same password', () => {
    // Prepare
    const composed = 'caf\u00e9 au lait';
    const decomposed = 'cafe\u0301 au lait';

    // Act
    const normalised = [normalisePassword(composed), normalisePassword(decomposed)];

    // Assess
    expect(composed).not.toBe(decomposed);
    expect(normalised[0]).toBe(normalised[1]);
  });

  it('folds compatibility characters such as full-width letters and ligatures', () => {
    // Act
    const normalised = normalisePassword('ｏ\ufb03ｃｅ');

    // Assess
    expect(normalised).toBe('office');
  });

  it('keeps case and spaces, which are part of the password', () => {
    // Act
    const normalised = normalisePassword(' Tea  Time ');

    // Assess
    expect(normalised).toBe(' Tea  Time ');
  });
});
