/** How long something stays valid, in words: whole hours as hours ("24 hours"), else minutes ("5 minutes"). */
export const describeMinutes = (minutes: number): string => {
  if (!Number.isInteger(minutes) || minutes <= 0) {
    throw new RangeError('A validity period is a whole number of minutes above zero');
  }
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
};

const plural = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** Letters whose spoken name starts with a vowel sound: "an NHS login", "an MOT", but "a GP". */
const vowelSoundLetters = new Set('AEFHILMNORSX');

/**
 * The name with "a" or "an" before it, as it is said: "an NHS login", "a Health login", "an
 * Online login". An initialism (its first word in capitals) is said letter by letter, so its first
 * letter's name decides; any other word goes by its first letter (a vowel takes "an").
 */
export const withIndefiniteArticle = (name: string): string => {
  const firstWord = name.trim().split(/\s+/)[0] ?? '';
  const initialism = firstWord.length > 1 && firstWord === firstWord.toUpperCase() && /[A-Z]/.test(firstWord);
  const first = firstWord.charAt(0).toUpperCase();
  const an = initialism ? vowelSoundLetters.has(first) : 'AEIOU'.includes(first) && first !== '';
  return `${an ? 'an' : 'a'} ${name}`;
};
