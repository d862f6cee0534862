import {
  CLOSED_DAYS_ATTRIBUTE,
  HOUR_MS,
  localDayNumber,
  localTimeOfDayMs,
  localWeekday,
  parseClosedDays,
} from '@vigie/domain';
import { RawSample } from '../influx-readings.reader';
import { KpiDevice, KpiSite, KpiSkip, KpiSkipReason } from '../kpi-engine.types';
import { BucketEnergy, bucketEnergy, meterIntervals } from './interval-energy.utils';

/** The site attribute holding the opening hours (the simulator's `mon 08:30-12:00,13:30-16:30; tue …` line). */
export const OPENING_HOURS_ATTRIBUTE = 'hours';

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

const NO_CLOSED_DAYS: ReadonlySet<number> = new Set();

/** Opening spans per ISO weekday (index 0 = Monday), minutes since local midnight, [from, to). */
export type OpeningHours = readonly (readonly (readonly [number, number])[])[];

/**
 * Parses the `hours` attribute, `mon 08:30-12:00,13:30-16:30; tue closed; …` (every weekday once): undefined when
 * absent or empty, an error text when malformed.
 */
export function parseOpeningHours(raw: string | undefined): { hours?: OpeningHours; problem?: string } {
  if (raw === undefined || raw.trim() === '') return {};
  const bad = {
    problem: `attribute ${OPENING_HOURS_ATTRIBUTE}='${raw.slice(0, 200)}' is not 'mon HH:MM-HH:MM,…; tue …'`,
  };
  const days = new Map<string, [number, number][]>();
  for (const part of raw.split(';')) {
    const [day, spans, ...rest] = part.trim().split(/\s+/);
    if (
      !WEEKDAY_NAMES.includes(day as (typeof WEEKDAY_NAMES)[number]) ||
      !spans ||
      rest.length ||
      days.has(day)
    )
      return bad;
    const list: [number, number][] = [];
    if (spans !== 'closed') {
      for (const s of spans.split(',')) {
        const m = SPAN.exec(s);
        if (!m) return bad;
        const from = Number(m[1]) * 60 + Number(m[2]);
        const to = m[3] === '24:00' ? 1440 : Number(m[4]) * 60 + Number(m[5]);
        if (to <= from) return bad;
        list.push([from, to]);
      }
    }
    days.set(day, list);
  }
  if (days.size !== 7) return bad;
  return { hours: WEEKDAY_NAMES.map((d) => days.get(d) ?? []) };
}

/**
 * Whether instant `ts` falls in the opening hours (local weekday and wall-clock time), on a day that is not one of
 * the site's `closed` days (holidays).
 */
export function isOpen(
  hours: OpeningHours,
  ts: number,
  timeZone: string,
  closed: ReadonlySet<number> = NO_CLOSED_DAYS,
): boolean {
  if (closed.size > 0 && closed.has(localDayNumber(ts, timeZone))) return false;
  const minute = localTimeOfDayMs(ts, timeZone) / 60_000;
  return hours[localWeekday(ts, timeZone) - 1].some(([from, to]) => minute >= from && minute < to);
}

/**
 * A meter's index readings as energy per clock hour (key: the hour's start, epoch ms): each interval's delta
 * (reset rule of the domain) spread evenly over its span; intervals longer than 2 × the reporting interval are
 * gaps and left out, so an hour they touch is not fully covered.
 */
export function hourlyEnergy(samples: readonly RawSample[], intervalS: number): Map<number, BucketEnergy> {
  return bucketEnergy(meterIntervals(samples, intervalS), HOUR_MS);
}

/**
 * The inputs of a KPI computed per site over complete clock hours and split by opening hours (B5, W7), with the
 * site's `closed_days` (holidays: closed all day; a malformed list is skipped like malformed hours):
 * `hourly: false` with a skip `<kpi> needs readings at least hourly; …` when a device reports less often than
 * hourly (the site is not computed); else the site's parsed `hours` attribute, with a skip
 * `<problem, or 'site s has no hours attribute'>: <withoutHours>` when it is malformed or absent.
 */
export function hourlySiteInputs(
  kpi: string,
  site: string,
  devices: readonly KpiDevice[],
  sites: ReadonlyMap<string, KpiSite>,
  withoutHours: string,
): { hourly: boolean; hours?: OpeningHours; closed?: ReadonlySet<number>; skipped: KpiSkip[] } {
  const coarse = devices.filter((m) => m.intervalS > 3600);
  if (coarse.length > 0) {
    return {
      hourly: false,
      skipped: [
        {
          subject: site,
          reason: KpiSkipReason.MissingInputs,
          detail: `${kpi} needs readings at least hourly; ${coarse.map((m) => `${m.id} reports every ${m.intervalS} s`).join(', ')}`,
        },
      ],
    };
  }
  const attributes = sites.get(site)?.attributes;
  const parsed = parseOpeningHours(attributes?.[OPENING_HOURS_ATTRIBUTE]);
  const closed = parseClosedDays(attributes?.[CLOSED_DAYS_ATTRIBUTE]);
  const { hours } = parsed;
  const problem = parsed.problem ?? (hours ? closed.problem : undefined);
  if (hours && !problem) return { hourly: true, hours, closed: closed.days, skipped: [] };
  return {
    hourly: true,
    skipped: [
      {
        subject: site,
        reason: KpiSkipReason.MissingInputs,
        detail: `${problem ?? `site ${site} has no ${OPENING_HOURS_ATTRIBUTE} attribute`}: ${withoutHours}`,
      },
    ],
  };
}
