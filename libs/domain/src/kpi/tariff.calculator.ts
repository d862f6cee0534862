import { assertFinite } from './kpi-inputs.model';
import { KpiError, KpiErrorCode } from './kpi.errors';
import {
  DAY_MS,
  DEFAULT_TIME_ZONE,
  localDayNumber,
  localTimeOfDayMs,
  localWallToUtc,
} from './local-time.utils';

/**
 * B8 / L8 / X3 — electricity tariffs: a table of versions with validity dates and time-of-use slots, read from a
 * site's `tariff` attribute, and the cost of energy intervals at it.
 *
 * Format (prices in €/kWh and €/day; use one convention, excl. or incl. taxes, for all sites of a tenant):
 *
 *   tariff  = version *( ";" version )
 *   version = DATE "base" PRICE [ "sub" EUR_PER_DAY ]
 *           | DATE "hp" PRICE "hc" PRICE "hc=" WINDOW *( "," WINDOW ) [ "sub" EUR_PER_DAY ]
 *   WINDOW  = HH:MM "-" HH:MM      (local wall-clock, [from, to); wraps past midnight when to ≤ from; 24:00 allowed)
 *
 * e.g. `2025-01-01 base 0.2016; 2026-02-01 hp 0.2146 hc 0.1696 hc=22:00-06:00 sub 0.45`. A version applies from
 * 00:00 local on its DATE until the next version's DATE; dates strictly increase. Words after DATE may come in any
 * order, each once. `sub` is the fixed subscription in €/day (0 when absent): a fixed part, never a saving.
 */

/** A time-of-use slot: `base` (flat price), `hp` (heures pleines), `hc` (heures creuses). */
export type TariffSlot = 'base' | 'hp' | 'hc';

/** One version of a tariff, valid from a local day until the next version. */
export interface TariffVersion {
  /** First local day it applies, 'YYYY-MM-DD' (also its label in outputs). */
  readonly from: string;
  /** Day number (days since 1970-01-01) of `from`. */
  readonly fromDay: number;
  /** €/kWh per slot: `base` alone, or `hp` and `hc`. */
  readonly prices: Readonly<Partial<Record<TariffSlot, number>>>;
  /** Off-peak (HC) windows in minutes since local midnight, [from, to), `to ≤ from` wrapping past midnight. */
  readonly offPeak: readonly (readonly [number, number])[];
  /** Fixed subscription, € per local day. */
  readonly subscriptionPerDay: number;
}

export interface Tariff {
  /** Versions sorted by `fromDay`, strictly increasing. */
  readonly versions: readonly TariffVersion[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PRICE = /^\d+(\.\d+)?$/;
const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
const TARIFF_SYNTAX =
  "'YYYY-MM-DD base <€/kWh> [sub <€/day>]' or 'YYYY-MM-DD hp <€/kWh> hc <€/kWh> hc=HH:MM-HH:MM[,…] [sub <€/day>]', versions separated by ';'";

function dayNumberOf(date: string): number | undefined {
  if (!DATE.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date ? ms / DAY_MS : undefined;
}

function parseWindows(raw: string): (readonly [number, number])[] | string {
  const out: [number, number][] = [];
  for (const w of raw.split(',')) {
    const m = WINDOW.exec(w);
    if (!m) return `'${w}' is not an HH:MM-HH:MM window`;
    const from = Number(m[1]) * 60 + Number(m[2]);
    const to = m[3] === '24:00' ? 1440 : Number(m[4]) * 60 + Number(m[5]);
    if (from === to) return `window '${w}' is empty`;
    out.push([from, to]);
  }
  return out;
}

function parseVersion(text: string): TariffVersion | string {
  const [date, ...words] = text.split(/\s+/);
  const fromDay = dayNumberOf(date);
  if (fromDay === undefined) return `'${date}' is not a YYYY-MM-DD date`;
  const prices: Partial<Record<TariffSlot | 'sub', number>> = {};
  let offPeak: (readonly [number, number])[] | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.startsWith('hc=')) {
      if (offPeak) return `'hc=' is given twice`;
      const w = parseWindows(word.slice(3));
      if (typeof w === 'string') return w;
      offPeak = w;
      continue;
    }
    if (word !== 'base' && word !== 'hp' && word !== 'hc' && word !== 'sub')
      return `unknown word '${word}' (expected base, hp, hc, hc=…, sub)`;
    if (prices[word] !== undefined) return `'${word}' is given twice`;
    const value = words[i + 1];
    if (value === undefined || !PRICE.test(value))
      return `'${word}' needs a price ≥ 0 such as 0.2016, got '${value ?? ''}'`;
    prices[word] = Number(value);
    i++;
  }
  const { sub, ...slots } = prices;
  const base = slots.base !== undefined;
  const hphc = slots.hp !== undefined || slots.hc !== undefined || offPeak !== undefined;
  if (base && hphc) return `'base' cannot be combined with hp/hc`;
  if (!base && !hphc) return `no price: give 'base <€/kWh>' or 'hp <€/kWh> hc <€/kWh> hc=HH:MM-HH:MM'`;
  if (hphc && (slots.hp === undefined || slots.hc === undefined || offPeak === undefined))
    return `an hp/hc version needs all of 'hp <€/kWh>', 'hc <€/kWh>' and 'hc=HH:MM-HH:MM'`;
  return { from: date, fromDay, prices: slots, offPeak: offPeak ?? [], subscriptionPerDay: sub ?? 0 };
}

/**
 * Parses a `tariff` attribute (format above): `{}` when absent or empty, `{ tariff }`, or `{ problem }` naming the
 * version and what is wrong with it.
 */
export function parseTariff(raw: string | undefined): { tariff?: Tariff; problem?: string } {
  if (raw === undefined || raw.trim() === '') return {};
  const versions: TariffVersion[] = [];
  const parts = raw.split(';').map((p) => p.trim());
  for (let i = 0; i < parts.length; i++) {
    const where = `version ${i + 1} '${parts[i].slice(0, 80)}'`;
    if (parts[i] === '') return { problem: `${where} is empty; expected ${TARIFF_SYNTAX}` };
    const v = parseVersion(parts[i]);
    if (typeof v === 'string') return { problem: `${where}: ${v}; expected ${TARIFF_SYNTAX}` };
    const prev = versions[versions.length - 1];
    if (prev && v.fromDay <= prev.fromDay)
      return { problem: `${where}: ${v.from} is not after ${prev.from} (versions must be in date order)` };
    versions.push(v);
  }
  return { tariff: { versions } };
}

/** The version in force on local day number `day`, or undefined before the first one. */
export function tariffVersionOn(tariff: Tariff, day: number): TariffVersion | undefined {
  let found: TariffVersion | undefined;
  for (const v of tariff.versions) {
    if (v.fromDay > day) break;
    found = v;
  }
  return found;
}

function inOffPeak(version: TariffVersion, minute: number): boolean {
  return version.offPeak.some(([from, to]) =>
    from < to ? minute >= from && minute < to : minute >= from || minute < to,
  );
}

/** Slot and price at an instant: from the version of its local day and its local wall-clock time. */
export interface TariffPrice {
  readonly slot: TariffSlot;
  /** €/kWh. */
  readonly price: number;
  readonly version: TariffVersion;
}

/** The slot and €/kWh in force at `ts`, or undefined before the tariff's first version. */
export function tariffPriceAt(
  tariff: Tariff,
  ts: number,
  timeZone = DEFAULT_TIME_ZONE,
): TariffPrice | undefined {
  const version = tariffVersionOn(tariff, localDayNumber(ts, timeZone));
  if (!version) return undefined;
  if (version.prices.base !== undefined) return { slot: 'base', price: version.prices.base, version };
  const slot: TariffSlot = inOffPeak(version, localTimeOfDayMs(ts, timeZone) / 60_000) ? 'hc' : 'hp';
  return { slot, price: version.prices[slot] ?? 0, version };
}

/**
 * Instants in (start, end) where the price may change: local midnights (a new version starts at one) and the edges
 * of the off-peak windows of the version of each local day, sorted.
 */
export function priceBoundaries(
  tariff: Tariff,
  start: number,
  end: number,
  timeZone = DEFAULT_TIME_ZONE,
): number[] {
  const out = new Set<number>();
  const first = localDayNumber(start, timeZone);
  const last = localDayNumber(end, timeZone);
  for (let d = first; d <= last + 1; d++) {
    out.add(localWallToUtc(d * DAY_MS, timeZone));
    for (const [from, to] of tariffVersionOn(tariff, d)?.offPeak ?? []) {
      for (const minute of [from, to]) out.add(localWallToUtc(d * DAY_MS + minute * 60_000, timeZone));
    }
  }
  return [...out].filter((t) => t > start && t < end).sort((a, b) => a - b);
}

/** Energy consumed evenly over [start, end) (a meter reading interval). */
export interface EnergySpan {
  readonly start: number;
  readonly end: number;
  readonly kwh: number;
}

/** Cost of energy at a tariff: the variable part, with its split per slot and the energy no version prices. */
export interface EnergyCost {
  /** Σ E_slot × price_slot, €. */
  readonly variableEur: number;
  /** Energy priced, kWh. */
  readonly kwh: number;
  /** Energy before the tariff's first version (not priced), kWh. */
  readonly unpricedKwh: number;
  readonly bySlot: Readonly<Record<TariffSlot, { readonly kwh: number; readonly eur: number }>>;
  /** `from` dates of the versions used, in date order. */
  readonly versions: readonly string[];
}

/**
 * Cost = Σ_slots E_slot × price_slot. Each interval's energy is spread evenly over its span, split at the price
 * boundaries, and each piece priced at its mid-point (so an interval across 22:00 pays both prices pro rata).
 */
export function energyCost(
  tariff: Tariff,
  intervals: readonly EnergySpan[],
  timeZone = DEFAULT_TIME_ZONE,
): EnergyCost {
  const bySlot = { base: { kwh: 0, eur: 0 }, hp: { kwh: 0, eur: 0 }, hc: { kwh: 0, eur: 0 } };
  const versions = new Set<string>();
  let unpricedKwh = 0;
  intervals.forEach((iv, i) => {
    assertFinite(iv.kwh, `intervals[${i}].kwh`);
    if (iv.kwh < 0)
      throw new KpiError(KpiErrorCode.InvalidParameter, `intervals[${i}].kwh ${iv.kwh} is negative`);
    if (!(iv.end > iv.start))
      throw new KpiError(KpiErrorCode.InvalidParameter, `intervals[${i}] ends at or before its start`);
    const cuts = [iv.start, ...priceBoundaries(tariff, iv.start, iv.end, timeZone), iv.end];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const kwh = (iv.kwh * (cuts[k + 1] - cuts[k])) / (iv.end - iv.start);
      const p = tariffPriceAt(tariff, (cuts[k] + cuts[k + 1]) / 2, timeZone);
      if (!p) {
        unpricedKwh += kwh;
        continue;
      }
      bySlot[p.slot].kwh += kwh;
      bySlot[p.slot].eur += kwh * p.price;
      versions.add(p.version.from);
    }
  });
  const s = Object.values(bySlot);
  return {
    variableEur: s.reduce((a, x) => a + x.eur, 0),
    kwh: s.reduce((a, x) => a + x.kwh, 0),
    unpricedKwh,
    bySlot,
    versions: [...versions].sort(),
  };
}

/** The parts of `intervals` inside [start, end), their energy pro rata of the time kept. */
export function clipIntervals(intervals: readonly EnergySpan[], start: number, end: number): EnergySpan[] {
  const out: EnergySpan[] = [];
  for (const iv of intervals) {
    const a = Math.max(start, iv.start);
    const b = Math.min(end, iv.end);
    if (b <= a) continue;
    out.push({ start: a, end: b, kwh: (iv.kwh * (b - a)) / (iv.end - iv.start) });
  }
  return out;
}

/** Fixed subscription over local days `firstDay`…`lastDay` (inclusive): Σ of each day's version's €/day. */
export function subscriptionCost(tariff: Tariff, firstDay: number, lastDay: number): number {
  let eur = 0;
  for (let d = firstDay; d <= lastDay; d++) eur += tariffVersionOn(tariff, d)?.subscriptionPerDay ?? 0;
  return eur;
}

/**
 * The variable price used to value savings (catalogue B8/X3: avoided kWh at the variable price only): the
 * energy-weighted mean €/kWh of a cost, i.e. the price mix of the consumption it was computed from.
 */
export function meanVariablePrice(cost: EnergyCost): number {
  if (!(cost.kwh > 0))
    throw new KpiError(KpiErrorCode.ZeroDenominator, 'no priced energy: mean €/kWh undefined');
  return cost.variableEur / cost.kwh;
}

/** X3 — € saved = avoided kWh (or m³) × variable unit price (€/kWh or €/m³); negative when consumption rose. */
export function savingsEur(avoided: number, variablePrice: number): number {
  assertFinite(avoided, 'avoided quantity');
  assertFinite(variablePrice, 'variable price');
  if (variablePrice < 0)
    throw new KpiError(KpiErrorCode.InvalidParameter, `price ${variablePrice} is negative`);
  return avoided * variablePrice;
}
