import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkStaffedHours,
  defaultStaffedHours,
  reviewDeadline,
} from '../../../../../src/domain/identity/photo-id/review-deadline.ts';

describe('the review deadline: 2 hours of staffed time, 09:00 to 21:00 Europe/London', () => {
  it.each([
    ['in the morning, in winter', '2026-01-14T10:00:00Z', '2026-01-14T12:00:00Z'],
    ['at 20:30: the rest after opening the next day', '2026-01-14T20:30:00Z', '2026-01-15T10:30:00Z'],
    ['at 03:00: 2 hours after opening', '2026-01-14T03:00:00Z', '2026-01-14T11:00:00Z'],
    ['a minute before midnight', '2026-01-14T23:59:00Z', '2026-01-15T11:00:00Z'],
    ['exactly at closing', '2026-01-14T21:00:00Z', '2026-01-15T11:00:00Z'],
    ['exactly at opening', '2026-01-14T09:00:00Z', '2026-01-14T11:00:00Z'],
    ['at 19:00, due at closing', '2026-01-14T19:00:00Z', '2026-01-14T21:00:00Z'],
    ['in summer (BST: 09:00 is 08:00 UTC)', '2026-07-01T07:00:00Z', '2026-07-01T10:00:00Z'],
    ['at 20:30 BST in summer', '2026-07-01T19:30:00Z', '2026-07-02T09:30:00Z'],
    // The clocks go forward at 01:00 UTC on 29 March 2026: the evening is GMT, the morning BST
    ['at 20:30 the night before the clocks go forward', '2026-03-28T20:30:00Z', '2026-03-29T09:30:00Z'],
    ['at 00:30 GMT as the clocks go forward', '2026-03-29T00:30:00Z', '2026-03-29T10:00:00Z'],
    // The clocks go back at 01:00 UTC on 25 October 2026: the evening is BST, the morning GMT
    ['at 20:30 the night before the clocks go back', '2026-10-24T19:30:00Z', '2026-10-25T10:30:00Z'],
    ['at 01:30 BST, in the hour that happens twice', '2026-10-25T00:30:00Z', '2026-10-25T11:00:00Z'],
    ['on 31 December at 20:30, into the new year', '2026-12-31T20:30:00Z', '2027-01-01T10:30:00Z'],
  ])('a submission %s', (_case, submitted, due) => {
    // Act
    const deadline = reviewDeadline(new Date(submitted));

    // Assess
    expect(deadline.toISOString()).toBe(new Date(due).toISOString());
  });

  it('skips bank holidays and days that are not staffed', () => {
    // Prepare: weekdays only, with Monday 4 May 2026 a bank holiday
    const hours = { ...defaultStaffedHours, days: [1, 2, 3, 4, 5], bankHolidays: ['2026-05-04'] };

    // Act: Friday 1 May at 20:30 BST
    const deadline = reviewDeadline(new Date('2026-05-01T19:30:00Z'), hours);

    // Assess: Tuesday 5 May at 10:30 BST
    expect(deadline.toISOString()).toBe('2026-05-05T09:30:00.000Z');
  });

  it('takes other hours and another length', () => {
    // Act: 08:00 to 18:00, 4 hours, from 16:00 GMT
    const deadline = reviewDeadline(
      new Date('2026-01-14T16:00:00Z'),
      { ...defaultStaffedHours, opens: '08:00', closes: '18:00' },
      240,
    );

    // Assess: 2 hours that day, 2 the next from 08:00
    expect(deadline.toISOString()).toBe('2026-01-15T10:00:00.000Z');
  });

  it('always gives a deadline within staffed hours, at least 2 hours after the submission, and later for a later one', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2026-01-01T00:00:00Z'),
          max: new Date('2028-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 6 * 3600 }),
        (submitted, laterBySeconds) => {
          const deadline = reviewDeadline(submitted);
          const later = reviewDeadline(new Date(submitted.getTime() + laterBySeconds * 1000));
          const local = new Intl.DateTimeFormat('en-GB', {
            timeZone: 'Europe/London',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          }).format(deadline);
          expect(deadline.getTime() - submitted.getTime()).toBeGreaterThanOrEqual(2 * 3600_000);
          expect(local >= '09:00' && local <= '21:00').toBe(true);
          expect(later.getTime()).toBeGreaterThanOrEqual(deadline.getTime());
        },
      ),
    );
  });

  it.each([
    ['hours that close before they open', { closes: '08:00' }, 'close after they open'],
    ['a time that is not HH:MM', { opens: '9am' }, 'HH:MM'],
    ['no staffed day', { days: [] }, 'ISO weekdays'],
    ['a weekday of 8', { days: [8] }, 'ISO weekdays'],
    ['an unknown time zone', { zone: 'Europe/Atlantis' }, 'Unknown time zone'],
    ['a bank holiday that is not a date', { bankHolidays: ['2026-13-01'] }, 'YYYY-MM-DD'],
  ])('refuses %s when the hours are read', (_case, change, message) => {
    // Act
    const reading = () => checkStaffedHours({ ...defaultStaffedHours, ...change });

    // Assess
    expect(reading).toThrow(message);
  });
});
