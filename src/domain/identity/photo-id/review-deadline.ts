import { DateTime } from 'luxon';

/**
 * When photo-ID checks are reviewed: the staffed hours of each staffed day, in one time zone.
 * Defaults: 09:00 to 21:00 Europe/London, every day, no bank holidays.
 */
export interface StaffedHours {
  /** `HH:MM`, local time. */
  readonly opens: string;
  /** `HH:MM`, local time, after `opens`. */
  readonly closes: string;
  /** IANA time zone of the hours. */
  readonly zone: string;
  /** ISO weekdays staffed: 1 (Monday) to 7 (Sunday). */
  readonly days: readonly number[];
  /** Local dates (`YYYY-MM-DD`) not staffed. */
  readonly bankHolidays: readonly string[];
}

export const defaultStaffedHours: StaffedHours = {
  opens: '09:00',
  closes: '21:00',
  zone: 'Europe/London',
  days: [1, 2, 3, 4, 5, 6, 7],
  bankHolidays: [],
};

/** The review time a check is promised: 2 hours of staffed time (seed 001). */
export const reviewStaffedMinutes = 120;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const minutesOf = (time: string): number => {
  const match = HH_MM.exec(time);
  if (!match) throw new Error(`Staffed hours must be HH:MM, not "${time}"`);
  return Number(match[1]) * 60 + Number(match[2]);
};

/** Staffed hours that cannot give a deadline are refused when they are read, never at a submission. */
export const checkStaffedHours = (hours: StaffedHours): StaffedHours => {
  if (minutesOf(hours.closes) <= minutesOf(hours.opens))
    throw new Error('Staffed hours must close after they open');
  if (hours.days.length === 0 || hours.days.some((day) => !Number.isInteger(day) || day < 1 || day > 7))
    throw new Error('Staffed days must be ISO weekdays, 1 to 7, at least one');
  if (!DateTime.local({ zone: hours.zone }).isValid) throw new Error(`Unknown time zone "${hours.zone}"`);
  for (const holiday of hours.bankHolidays)
    if (!DateTime.fromISO(holiday, { zone: hours.zone }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(holiday))
      throw new Error(`Bank holidays must be YYYY-MM-DD dates, not "${holiday}"`);
  return hours;
};

/**
 * The deadline of a check submitted at `submittedAt`: `staffedMinutes` of staffed time later,
 * counting only the staffed hours of staffed days, in the hours' own time zone (so a clock change
 * moves the hours with it). A submission at 20:30 is due at 10:30 the next day; one at 03:00 at
 * 11:00. The same figure is stored with the check, shown in the console and used by the metrics.
 */
export const reviewDeadline = (
  submittedAt: Date,
  hours: StaffedHours = defaultStaffedHours,
  staffedMinutes: number = reviewStaffedMinutes,
): Date => {
  const opens = minutesOf(hours.opens);
  const closes = minutesOf(hours.closes);
  const holidays = new Set(hours.bankHolidays);
  let remaining = staffedMinutes * 60_000;
  let at = DateTime.fromJSDate(submittedAt, { zone: hours.zone });
  // A year and a bit of days is more than any staffed pattern needs (at least one day a week).
  for (let day = 0; day < 400; day += 1) {
    const midnight = at.startOf('day');
    if (hours.days.includes(midnight.weekday) && !holidays.has(midnight.toISODate() ?? '')) {
      const open = midnight.set({ hour: Math.floor(opens / 60), minute: opens % 60 });
      const close = midnight.set({ hour: Math.floor(closes / 60), minute: closes % 60 });
      const start = at > open ? at : open;
      const available = close.toMillis() - start.toMillis();
      if (available > 0) {
        if (remaining <= available) return new Date(start.toMillis() + remaining);
        remaining -= available;
      }
    }
    at = midnight.plus({ days: 1 });
  }
  throw new Error('No staffed time within a year');
};
