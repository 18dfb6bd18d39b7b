import { describe, expect, it } from 'vitest';
import { describeMinutes, withIndefiniteArticle } from '../../../../src/domain/messaging/message-wording.ts';

describe('describeMinutes', () => {
  it.each([
    [1, '1 minute'],
    [5, '5 minutes'],
    [90, '90 minutes'],
    [60, '1 hour'],
    [1440, '24 hours'],
  ])('describes %i minutes as "%s"', (minutes, words) => {
    // Act
    const described = describeMinutes(minutes);

    // Assess
    expect(described).toBe(words);
  });

  it.each([0, -5, 2.5, Number.NaN])('refuses %d minutes', (minutes) => {
    // Act
    const describing = () => describeMinutes(minutes);

    // Assess
    expect(describing).toThrow(RangeError);
  });
});

describe('withIndefiniteArticle', () => {
  it.each([
    ['NHS login', 'an NHS login'],
    ['GP login', 'a GP login'],
    ['MyHealth', 'a MyHealth'],
    ['Online login', 'an Online login'],
    ['Health login', 'a Health login'],
    ['UK health login', 'a UK health login'],
    ['SXT', 'an SXT'],
  ])('says %j as %j', (name, said) => {
    expect(withIndefiniteArticle(name)).toBe(said);
  });
});
