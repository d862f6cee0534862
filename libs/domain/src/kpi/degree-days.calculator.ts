import { assertFinite, assertSortedTimestamps, Sample } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';
import { DEFAULT_TIME_ZONE, HOUR_MS, localDay, startOfLocalDay } from './local-time.utils';

/** B3 — heating degree days (DJU), base 18 °C by default. */
export type DegreeDayMethod = 'meteo' | 'costic' | 'hourly';

export const DEFAULT_DEGREE_DAY_BASE_C = 18;

export interface DailyDegreeDays {
  /** Local civil day, 'YYYY-MM-DD'. */
  readonly day: string;
  /** Minimum temperature of the day's samples, °C. */
  readonly tn: number;
  /** Maximum temperature of the day's samples, °C. */
  readonly tx: number;
  /** Degree days of the day (°C·day). */
  readonly dj: number;
  /** Number of samples in the day. */
  readonly samples: number;
  /** Hours (local hour slots) holding at least one sample: 23, 24 or 25 for a complete day in Paris. */
  readonly hoursWithData: number;
}

function checkPair(tn: number, tx: number, base: number): void {
  assertFinite(tn, 'tn');
  assertFinite(tx, 'tx');
  assertFinite(base, 'base');
  if (tn > tx) throw new KpiError(KpiErrorCode.InvalidParameter, `tn ${tn} > tx ${tx}`);
}

/** B3, "méthode météo": DJ = max(0, S − (Tn + Tx)/2). */
export function degreeDayMeteo(tn: number, tx: number, base = DEFAULT_DEGREE_DAY_BASE_C): number {
  checkPair(tn, tx, base);
  return Math.max(0, base - (tn + tx) / 2);
}

/**
 * B3, "méthode des professionnels de l'énergie" (COSTIC):
 * S ≥ Tx → S − (Tn + Tx)/2; S ≤ Tn → 0; otherwise (S − Tn) × (0.08 + 0.42 × (S − Tn)/(Tx − Tn)).
 * Continuous at both boundaries (S = Tx gives (Tx − Tn)/2 either way; S = Tn gives 0).
 */
export function degreeDayCostic(tn: number, tx: number, base = DEFAULT_DEGREE_DAY_BASE_C): number {
  checkPair(tn, tx, base);
  if (base >= tx) return base - (tn + tx) / 2;
  if (base <= tn) return 0;
  return (base - tn) * (0.08 + (0.42 * (base - tn)) / (tx - tn));
}

/**
 * B3 — degree days per local civil day from a temperature series (sorted by ts). Tn/Tx are the min/max of the day's
 * samples. `hourly` = degree-hours: Σ over the day's local hour slots of max(0, S − mean T of the slot) / 24; a 25-hour
 * day has 25 slots, a 23-hour day 23 (the real length of the day), missing slots count 0 (see `hoursWithData`).
 */
export function dailyDegreeDays(
  temps: readonly Sample[],
  method: DegreeDayMethod,
  base = DEFAULT_DEGREE_DAY_BASE_C,
  timeZone = DEFAULT_TIME_ZONE,
): DailyDegreeDays[] {
  assertSortedTimestamps(temps, 'temps');
  assertFinite(base, 'base');
  const out: DailyDegreeDays[] = [];
  let i = 0;
  while (i < temps.length) {
    const day = localDay(temps[i].ts, timeZone);
    const dayStart = startOfLocalDay(temps[i].ts, timeZone);
    let tn = Infinity;
    let tx = -Infinity;
    let n = 0;
    let slot = -1;
    let slotSum = 0;
    let slotCount = 0;
    let slots = 0;
    let degreeHours = 0;
    const closeSlot = (): void => {
      if (slotCount > 0) {
        degreeHours += Math.max(0, base - slotSum / slotCount);
        slots++;
      }
    };
    for (; i < temps.length && localDay(temps[i].ts, timeZone) === day; i++) {
      const { ts, value } = temps[i];
      assertFinite(value, `temps[${i}].value`);
      if (value < tn) tn = value;
      if (value > tx) tx = value;
      n++;
      const s = Math.floor((ts - dayStart) / HOUR_MS);
      if (s !== slot) {
        closeSlot();
        slot = s;
        slotSum = 0;
        slotCount = 0;
      }
      slotSum += value;
      slotCount++;
    }
    closeSlot();
    const dj =
      method === 'meteo'
        ? degreeDayMeteo(tn, tx, base)
        : method === 'costic'
          ? degreeDayCostic(tn, tx, base)
          : degreeHours / 24;
    out.push({ day, tn, tx, dj, samples: n, hoursWithData: slots });
  }
  return out;
}

/** DJU of a period: Σ daily DJ, from daily results (filter them first, e.g. the 1 Oct – 20 May season)… */
export function sumDegreeDays(days: readonly { readonly dj: number }[]): number;
/** …or straight from a temperature series. */
export function sumDegreeDays(
  temps: readonly Sample[],
  method: DegreeDayMethod,
  base?: number,
  timeZone?: string,
): number;
export function sumDegreeDays(
  input: readonly Sample[] | readonly { readonly dj: number }[],
  method?: DegreeDayMethod,
  base = DEFAULT_DEGREE_DAY_BASE_C,
  timeZone = DEFAULT_TIME_ZONE,
): number {
  const days =
    method === undefined
      ? (input as readonly { readonly dj: number }[])
      : dailyDegreeDays(input as readonly Sample[], method, base, timeZone);
  let sum = 0;
  for (const d of days) sum += d.dj;
  return sum;
}
