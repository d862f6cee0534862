import { dayNumberToString, DEFAULT_TIME_ZONE, localDayNumber } from './local-time.utils';

/**
 * How often a KPI is recomputed by the scheduler, and over which local days. Values are stable: they name job
 * schedulers in Redis and label scheduler jobs.
 */
export const KPI_CADENCES = ['hourly', 'daily', 'monthly', 'yearly'] as const;
export type KpiCadence = (typeof KPI_CADENCES)[number];

export function isKpiCadence(value: string): value is KpiCadence {
  return (KPI_CADENCES as readonly string[]).includes(value);
}

/** A run's local days, 'YYYY-MM-DD', inclusive (the `from` / `to` of a KPI run). */
export interface KpiCadencePeriod {
  readonly from: string;
  readonly to: string;
}

/**
 * The local days a cadence recomputes when it fires at instant `at` (epoch ms), in `timeZone`:
 * - hourly: today (the day in progress);
 * - daily: the day before yesterday and yesterday (yesterday's last readings, and late data of the day before);
 * - monthly: every day of the previous month;
 * - yearly: every day of the previous year.
 * "Today" is the local civil date of `at`, so a daily run at 00:15 on 30 March (a 23 h day in Paris) covers 28–29
 * March, and one at 23:30 UTC on 31 December is already 1 January in Paris.
 */
export function cadencePeriod(
  cadence: KpiCadence,
  at: number,
  timeZone = DEFAULT_TIME_ZONE,
): KpiCadencePeriod {
  const today = localDayNumber(at, timeZone);
  const day = (n: number) => dayNumberToString(n);
  switch (cadence) {
    case 'hourly':
      return { from: day(today), to: day(today) };
    case 'daily':
      return { from: day(today - 2), to: day(today - 1) };
    case 'monthly': {
      const d = new Date(today * 86_400_000);
      const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
      const last = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0);
      return { from: isoDay(first), to: isoDay(last) };
    }
    case 'yearly': {
      const year = new Date(today * 86_400_000).getUTCFullYear() - 1;
      return { from: `${year}-01-01`, to: `${year}-12-31` };
    }
  }
}

function isoDay(utcMs: number): string {
  return new Date(utcMs).toISOString().slice(0, 10);
}

/**
 * The canonical IANA name of a time zone (`europe/paris` → `Europe/Paris`), or undefined when the runtime does
 * not know it.
 */
export function canonicalTimeZone(timeZone: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(timeZone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
