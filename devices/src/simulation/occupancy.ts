import { dayHoursOf } from './town.layout';
import { dayStringToNumber } from '@vigie/domain';
import { LocalClock, minutesOfClock, weekdayOfDay } from './local-clock';
import { BuildingSpec, CalendarSpec } from './scenario.schema';

/** Opening hours and closed days of one building, in local time. */
export class OccupancySchedule {
  /** Per weekday (0 = Monday), opening intervals in minutes after midnight. */
  private readonly week: readonly (readonly [number, number][])[];
  private readonly closedDays: ReadonlySet<number>;

  constructor(
    hours: BuildingSpec['hours'],
    calendar: CalendarSpec | undefined,
    private readonly clock: LocalClock,
  ) {
    this.week = [0, 1, 2, 3, 4, 5, 6].map((i) => parseDayHours(dayHoursOf(hours, i)));
    this.closedDays = calendarClosedDays(calendar);
  }

  /** Whether the local day is a holiday or closed day of the calendar. */
  isClosedDay(day: number): boolean {
    return this.closedDays.has(day);
  }

  /** Whether the building is open at `ts`. */
  isOccupied(ts: number): boolean {
    const day = this.clock.dayNumber(ts);
    if (this.closedDays.has(day)) return false;
    const minute = this.clock.minuteOfDay(ts);
    for (const [from, to] of this.week[weekdayOfDay(day)]) if (minute >= from && minute < to) return true;
    return false;
  }
}

/** The local day numbers a calendar closes: its holidays (inclusive ranges) and closed days. */
export function calendarClosedDays(calendar: CalendarSpec | undefined): Set<number> {
  const days = new Set<number>();
  for (const h of calendar?.holidays ?? []) {
    for (let d = dayStringToNumber(h.from); d <= dayStringToNumber(h.to); d++) days.add(d);
  }
  for (const d of calendar?.closed_days ?? []) days.add(dayStringToNumber(d));
  return days;
}

/** "08:30-12:00,13:30-16:30" → [[510, 720], [810, 990]]; "closed" → []. */
export function parseDayHours(text: string): [number, number][] {
  if (text === 'closed') return [];
  return text.split(',').map((range) => {
    const [from, to] = range.split('-');
    return [minutesOfClock(from), minutesOfClock(to)];
  });
}
