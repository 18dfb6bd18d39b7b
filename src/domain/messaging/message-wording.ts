/** How long something stays valid, in words: whole hours as hours ("24 hours"), else minutes ("5 minutes"). */
export const describeMinutes = (minutes: number): string => {
  if (!Number.isInteger(minutes) || minutes <= 0) {
    throw new RangeError('A validity period is a whole number of minutes above zero');
  }
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
};

const plural = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? '' : 's'}`;
