import {
  clipIntervals,
  EnergyCost,
  energyCost,
  EnergySpan,
  intervalConsumption,
  localDayNumber,
  overlapMs,
  Sample,
  subscriptionCost,
  Tariff,
} from '@vigie/domain';
import { RawSample } from '../influx-readings.reader';
import { KpiDevice } from '../kpi-engine.types';
import { dayWindows, KpiWindowSpan, windowIndexOf } from '../kpi-windows.utils';

/** An index interval longer than this many reporting intervals is a gap: its energy is not spread over buckets. */
export const MAX_INTERVAL_SPAN = 2;

/** A meter's reading intervals: index delta (reset rule of the domain) over [start, end), and whether it is a gap. */
export interface MeterInterval extends EnergySpan {
  /** Longer than MAX_INTERVAL_SPAN × the reporting interval. */
  readonly gap: boolean;
}

/** A cumulative index's raw readings as reading intervals (non-numeric samples left out). */
export function meterIntervals(samples: readonly RawSample[], intervalS: number): MeterInterval[] {
  const index: Sample[] = [];
  for (const s of samples) if (typeof s.value === 'number') index.push({ ts: s.ts, value: s.value });
  const out: MeterInterval[] = [];
  for (const iv of intervalConsumption(index)) {
    const length = iv.ts - iv.startTs;
    if (!(length > 0)) continue;
    out.push({
      start: iv.startTs,
      end: iv.ts,
      kwh: iv.delta,
      gap: length > MAX_INTERVAL_SPAN * intervalS * 1000,
    });
  }
  return out;
}

/** Energy and known time of one meter in one clock-aligned bucket. */
export interface BucketEnergy {
  kwh: number;
  coveredMs: number;
}

/**
 * Energy per clock-aligned bucket of `bucketMs` (key: the bucket's start, epoch ms; buckets of up to an hour are
 * aligned on the local clock too, offsets being whole hours): each interval's delta spread evenly over its span;
 * gaps are left out, so a bucket they touch is not fully covered.
 */
export function bucketEnergy(
  intervals: readonly MeterInterval[],
  bucketMs: number,
): Map<number, BucketEnergy> {
  const out = new Map<number, BucketEnergy>();
  for (const iv of intervals) {
    if (iv.gap) continue;
    const length = iv.end - iv.start;
    for (let b = Math.floor(iv.start / bucketMs) * bucketMs; b < iv.end; b += bucketMs) {
      const o = overlapMs(iv.start, iv.end, b, b + bucketMs);
      if (o <= 0) continue;
      const cur = out.get(b) ?? { kwh: 0, coveredMs: 0 };
      cur.kwh += (iv.kwh * o) / length;
      cur.coveredMs += o;
      out.set(b, cur);
    }
  }
  return out;
}

/**
 * The energy of bucket `start` summed over the meters (each meter's `bucketEnergy`), or undefined unless every
 * meter covers the whole `bucketMs` of it (a complete bucket).
 */
export function completeBucketEnergy(
  perMeter: readonly ReadonlyMap<number, BucketEnergy>[],
  start: number,
  bucketMs: number,
): number | undefined {
  let kwh = 0;
  for (const buckets of perMeter) {
    const e = buckets.get(start);
    if (!e || e.coveredMs < bucketMs) return undefined;
    kwh += e.kwh;
  }
  return kwh;
}

/** The local days of `windows` (contiguous), as day windows. */
export function daysOf(windows: readonly KpiWindowSpan[], timeZone: string): KpiWindowSpan[] {
  const firstDay = localDayNumber(windows[0].start, timeZone);
  const lastDay = localDayNumber(windows[windows.length - 1].end - 1, timeZone);
  return dayWindows({ from: '', to: '', firstDay, lastDay }, timeZone);
}

/** A site's energy cost over one window: the variable part, the subscription, and the data behind them. */
export interface WindowCost {
  readonly cost: EnergyCost;
  /** Subscription over the window's days with readings, €. */
  readonly fixedEur: number;
  /** Mean over the site's meters of the share of the window covered by reading intervals that are not gaps. */
  readonly completeness: number;
  /** Whether any meter had a reading interval in the window. */
  readonly present: boolean;
}

/**
 * Per local day of `days` (contiguous), one site's cost at a tariff from its meters' reading intervals: intervals
 * split at midnight, energy priced per slot (domain `energyCost`), subscription for days with readings.
 */
export function dailySiteCosts(
  meters: readonly KpiDevice[],
  intervalsOf: ReadonlyMap<string, readonly MeterInterval[]>,
  days: readonly KpiWindowSpan[],
  tariff: Tariff,
  timeZone: string,
): WindowCost[] {
  const pieces: EnergySpan[][] = days.map(() => []);
  const covered: number[] = days.map(() => 0);
  for (const m of meters) {
    for (const iv of intervalsOf.get(m.id) ?? []) {
      const first = Math.max(0, windowIndexOf(days, Math.max(iv.start, days[0].start)));
      for (let i = first; i < days.length && days[i].start < iv.end; i++) {
        const [part] = clipIntervals([iv], days[i].start, days[i].end);
        if (!part) continue;
        pieces[i].push(part);
        if (!iv.gap) covered[i] += part.end - part.start;
      }
    }
  }
  return days.map((day, i) => {
    const dayNumber = Math.round(localDayNumber(day.start, timeZone));
    const present = pieces[i].length > 0;
    return {
      cost: energyCost(tariff, pieces[i], timeZone),
      fixedEur: present ? subscriptionCost(tariff, dayNumber, dayNumber) : 0,
      completeness: Math.min(1, covered[i] / (day.end - day.start) / meters.length),
      present,
    };
  });
}

/** Day costs summed over a longer window (a month): completeness weighted by day length. */
export function sumCosts(days: readonly KpiWindowSpan[], costs: readonly WindowCost[]): WindowCost {
  const bySlot = { base: { kwh: 0, eur: 0 }, hp: { kwh: 0, eur: 0 }, hc: { kwh: 0, eur: 0 } };
  const versions = new Set<string>();
  let variableEur = 0;
  let kwh = 0;
  let unpricedKwh = 0;
  let fixedEur = 0;
  let weighted = 0;
  let length = 0;
  let present = false;
  costs.forEach((c, i) => {
    variableEur += c.cost.variableEur;
    kwh += c.cost.kwh;
    unpricedKwh += c.cost.unpricedKwh;
    for (const slot of ['base', 'hp', 'hc'] as const) {
      bySlot[slot].kwh += c.cost.bySlot[slot].kwh;
      bySlot[slot].eur += c.cost.bySlot[slot].eur;
    }
    c.cost.versions.forEach((v) => versions.add(v));
    fixedEur += c.fixedEur;
    const len = days[i].end - days[i].start;
    weighted += c.completeness * len;
    length += len;
    present ||= c.present;
  });
  return {
    cost: { variableEur, kwh, unpricedKwh, bySlot, versions: [...versions].sort() },
    fixedEur,
    completeness: length > 0 ? weighted / length : 0,
    present,
  };
}
