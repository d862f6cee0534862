import { localDayNumber, localTimeOfDayMs, localWallToUtc } from '@vigie/domain';

/**
 * Wall-clock time in the scenario's time zone, for schedules written in local time (opening hours, dimming,
 * collection rounds). A thin face on the domain's local-time rules, bound to one zone.
 */
export const DAY_MS = 86_400_000;

export class LocalClock {
  private lastTs = NaN;
  private lastDay = 0;
  private lastMinute = 0;

  constructor(readonly timeZone: string) {}

  /** The local civil day of `ts`, as days since 1970-01-01. */
  dayNumber(ts: number): number {
    if (ts !== this.lastTs) this.remember(ts);
    return this.lastDay;
  }

  /** Minutes since local midnight on the wall clock (0 ≤ m < 1440). */
  minuteOfDay(ts: number): number {
    if (ts !== this.lastTs) this.remember(ts);
    return this.lastMinute;
  }

  private remember(ts: number): void {
    this.lastTs = ts;
    this.lastDay = localDayNumber(ts, this.timeZone);
    this.lastMinute = localTimeOfDayMs(ts, this.timeZone) / 60_000;
  }

  /** The UTC instant of a local wall time (`minute` minutes after local midnight of day `day`). */
  toUtc(day: number, minute: number): number {
    return localWallToUtc(day * DAY_MS + minute * 60_000, this.timeZone);
  }
}

/** 0 = Monday … 6 = Sunday for a day number (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** `HH:MM` → minutes after midnight (24:00 allowed as 1440). */
export function minutesOfClock(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h * 60 + m;
}

/** `MM-DD` → day of year position comparable within a year (month × 100 + day). */
export function monthDayKey(text: string): number {
  const [m, d] = text.split('-').map(Number);
  return m * 100 + d;
}

/** Month × 100 + day of a day number. */
export function monthDayOfDay(day: number): number {
  const date = new Date(day * DAY_MS);
  return (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/** Whether a month-day key falls in a season [from, to] that may wrap over the new year. */
export function inSeason(key: number, from: number, to: number): boolean {
  return from <= to ? key >= from && key <= to : key >= from || key <= to;
}
