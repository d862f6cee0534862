import { InfluxClient, influxIdent, InfluxSeries, influxString } from '@vigie/adapters';
import {
  DAY_MS,
  intervalConsumption,
  intervalDelta,
  localWallMs,
  localWallToUtc,
  Sample,
} from '@vigie/domain';
import { KpiWindowSpan, windowIndexOf } from './kpi-windows.utils';

/**
 * How far before a period the reader looks for the reading that opens its first interval. A meter silent for
 * longer than this before the period loses that first interval (the gap is not bridged).
 */
export const INDEX_LOOKBACK_MS = 7 * 86_400_000;

/** Time span of one raw-readings query. */
export const RAW_CHUNK_MS = 86_400_000;

/** Days per query of the per-day reductions (a year of a thousand devices is 52 queries, not one). */
export const DAILY_CHUNK_DAYS = 7;

/** Timeout of the InfluxDB client a KPI run uses: its reductions take longer than ingestion's writes. */
export const KPI_INFLUX_TIMEOUT_MS = 120_000;

/** `days` cut into runs of `size` consecutive windows. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What a reader query is about: one tenant's readings of one measurement (device kind). */
export interface ReadingsScope {
  readonly tenant: string;
  readonly measurement: string;
  readonly timeZone: string;
}

/** Consumption of one device's cumulative index in one window. */
export interface IndexWindowDelta {
  /** Σ interval deltas (≥ 0), a reset counting its new value (or the rollover rule with `maxIndex`). */
  readonly delta: number;
  /** Intervals closing in the window. */
  readonly intervals: number;
  /** Intervals where the index went down. */
  readonly resets: number;
}

/** Per device (the `device` tag), per window index, a value. */
export type PerDeviceWindows<T> = Map<string, Map<number, T>>;

/** A raw sample of a numeric or boolean field. */
export interface RawSample {
  readonly ts: number;
  readonly value: number | boolean;
}

/**
 * One device's raw readings of some fields, as columns of plain numbers (a year of a thousand light points is tens
 * of millions of readings: arrays of doubles, not an object each, nothing for the garbage collector to trace): sorted
 * timestamps, and per field (in the order asked) its value at each of them, NaN where that report lacks it, booleans
 * as 1 and 0.
 */
export interface ReadingColumns {
  readonly ts: number[];
  readonly values: number[][];
  /** Per field: whether its values are booleans. */
  readonly booleans: boolean[];
}

/** The first index of sorted `ts` at or after `at`. */
export function lowerBound(ts: readonly number[], at: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The samples of column `field` (its index) in [from, to), time order, absent values left out. */
export function columnSamples(
  columns: ReadingColumns,
  field: number,
  from = -Infinity,
  to = Infinity,
): RawSample[] {
  const out: RawSample[] = [];
  const values = columns.values[field];
  const boolean = columns.booleans[field];
  for (let i = lowerBound(columns.ts, from); i < columns.ts.length && columns.ts[i] < to; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) out.push({ ts: columns.ts[i], value: boolean ? v !== 0 : v });
  }
  return out;
}

/** Rows of InfluxQL series as { device, time, columns… } records (null cells kept as null). */
export function seriesRows(
  series: readonly InfluxSeries[],
): { device: string; cells: Record<string, unknown> }[] {
  const out: { device: string; cells: Record<string, unknown> }[] = [];
  for (const s of series) {
    const device = s.tags?.['device'] ?? '';
    for (const v of s.values) {
      const cells: Record<string, unknown> = {};
      s.columns.forEach((c, i) => (cells[c] = v[i]));
      out.push({ device, cells });
    }
  }
  return out;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function put<T>(map: PerDeviceWindows<T>, device: string, index: number, value: T): void {
  let m = map.get(device);
  if (!m) {
    m = new Map();
    map.set(device, m);
  }
  m.set(index, value);
}

/** Appends `value` to the list of `key`. */
function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  list.push(value);
}

/**
 * One row of an index-delta reduction (`dailyIndexQuery`): undefined when it holds no
 * interval, 'reset' when one of its deltas is negative (the window is recomputed from raw readings), else the sum.
 */
function indexSumOf(cells: Readonly<Record<string, unknown>>): IndexWindowDelta | 'reset' | undefined {
  const n = num(cells['n']) ?? 0;
  if (n === 0) return undefined;
  if ((num(cells['mind']) ?? 0) < 0) return 'reset';
  return { delta: num(cells['pos']) ?? 0, intervals: n, resets: 0 };
}

/** Adds the interval opening a window, from the last reading before it (`prev`) to the first inside (`first`). */
function addOpeningInterval(
  out: PerDeviceWindows<IndexWindowDelta>,
  device: string,
  index: number,
  prev: Sample,
  first: Sample,
  maxIndex: number | undefined,
): void {
  const [iv] = intervalConsumption([prev, first], maxIndex === undefined ? {} : { maxIndex });
  const cur = out.get(device)?.get(index) ?? { delta: 0, intervals: 0, resets: 0 };
  put(out, device, index, {
    delta: cur.delta + iv.delta,
    intervals: cur.intervals + 1,
    resets: cur.resets + (iv.reset ? 1 : 0),
  });
}

/**
 * Consumption of a cumulative index per window (index in `windows`, sorted) from its samples (sorted; the first may
 * lie before the windows and open the first interval): each interval counts in the window holding its closing
 * reading, (start, end], with the domain's reset and rollover rule. An interval longer than INDEX_LOOKBACK_MS is a
 * silence, not bridged.
 */
export function indexDeltasOfSamples(
  samples: readonly Sample[],
  windows: readonly KpiWindowSpan[],
  maxIndex?: number,
): Map<number, IndexWindowDelta> {
  return indexDeltasOfColumn(
    samples.map((s) => s.ts),
    samples.map((s) => s.value),
    windows,
    { maxIndex },
  );
}

/**
 * `indexDeltasOfSamples` on a column (sorted timestamps and their values, NaN = absent) from index `from` on, with
 * `before` as the reading before it: the loop the KPI engine runs over tens of millions of raw readings, without an
 * object per reading.
 */
export function indexDeltasOfColumn(
  ts: readonly number[],
  values: readonly number[],
  windows: readonly KpiWindowSpan[],
  opts: { readonly maxIndex?: number; readonly from?: number; readonly before?: Sample } = {},
): Map<number, IndexWindowDelta> {
  const out = new Map<number, { delta: number; intervals: number; resets: number }>();
  let prevTs = opts.before?.ts ?? NaN;
  let prevValue = opts.before?.value ?? NaN;
  for (let i = opts.from ?? 0; i < ts.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const [pTs, pValue] = [prevTs, prevValue];
    prevTs = ts[i];
    prevValue = v;
    if (Number.isNaN(pValue) || ts[i] - pTs > INDEX_LOOKBACK_MS) continue;
    const index = windowIndexOf(windows, ts[i] - 1);
    if (index < 0) continue;
    let w = out.get(index);
    if (!w) {
      w = { delta: 0, intervals: 0, resets: 0 };
      out.set(index, w);
    }
    w.delta += intervalDelta(pValue, v, opts.maxIndex);
    w.intervals++;
    if (v < pValue) w.resets++;
  }
  return out;
}

/** WHERE clause of a tenant's readings in [start, end) (or (start, end] with `closing`). */
function whereTenant(scope: ReadingsScope, start: number, end: number, closing = false): string {
  const range = closing ? `time > ${start}ms AND time <= ${end}ms` : `time >= ${start}ms AND time < ${end}ms`;
  return `${influxIdent('tenant')} = ${influxString(scope.tenant)} AND ${range}`;
}

/**
 * The index reduction over the intervals closing in (start, end] (without its GROUP BY): the sum of positive
 * deltas (pos), the smallest delta (mind; negative = a reset inside) and the number of intervals (n).
 */
function indexReduction(scope: ReadingsScope, field: string, start: number, end: number): string {
  const f = influxIdent(field);
  // InfluxDB 1.x applies the outer time range to the subquery too: differences start at the period's first
  // reading. The interval from the reading before the period to the first one is added by the reader.
  const inner =
    `SELECT difference(${f}) AS d FROM ${influxIdent(scope.measurement)} ` +
    `WHERE ${whereTenant(scope, start, end, true)} GROUP BY ${influxIdent('device')}`;
  // Without a negative delta (mind ≥ 0) the sum of deltas is the sum of positive deltas; a window with one is
  // recomputed from its raw readings, so the subquery needs one transformation, not two.
  return (
    `SELECT sum(d) AS pos, min(d) AS mind, count(d) AS n FROM (${inner}) ` +
    `WHERE time > ${start}ms AND time <= ${end}ms`
  );
}

/**
 * B1/W1 reduction, done by InfluxDB: per device and local day, over the intervals closing in (00:00, 24:00] (the
 * buckets of `time(1d, 1ms)`: a reading at midnight closes the day before), the sum of positive index deltas, the
 * smallest delta (negative = a reset inside) and the number of intervals.
 */
export function dailyIndexQuery(scope: ReadingsScope, field: string, start: number, end: number): string {
  return (
    `${indexReduction(scope, field, start, end)} ` +
    `GROUP BY time(1d, 1ms), ${influxIdent('device')} fill(none) tz(${influxString(scope.timeZone)})`
  );
}

/** Per device, the `first` or `last` reading of a field in (start, end], with its own timestamp. */
export function edgeReadingQuery(
  scope: ReadingsScope,
  field: string,
  selector: 'first' | 'last',
  start: number,
  end: number,
  device?: string,
): string {
  const dev = device === undefined ? '' : ` AND ${influxIdent('device')} = ${influxString(device)}`;
  return (
    `SELECT ${selector}(${influxIdent(field)}) AS v FROM ${influxIdent(scope.measurement)} ` +
    `WHERE ${whereTenant(scope, start, end, true)}${dev} GROUP BY ${influxIdent('device')}`
  );
}

/** Per device and local day: min, max and count of a field (`time(1d)` buckets in the time zone). */
export function dailyStatsQuery(scope: ReadingsScope, field: string, start: number, end: number): string {
  const f = influxIdent(field);
  return (
    `SELECT min(${f}) AS min, max(${f}) AS max, count(${f}) AS n, last(${f}) AS last FROM ${influxIdent(scope.measurement)} ` +
    `WHERE ${whereTenant(scope, start, end)} ` +
    `GROUP BY time(1d), ${influxIdent('device')} fill(none) tz(${influxString(scope.timeZone)})`
  );
}

/**
 * Per device and local day (buckets from `start`, a day before the first day asked for, so that the first reading
 * of each day has the one before it): the longest gap between consecutive readings of `field` ending in the day
 * (`elapsed`, ms) and how many gaps there are. InfluxDB applies the outer time range to the subquery too.
 */
export function dailyGapsQuery(scope: ReadingsScope, field: string, start: number, end: number): string {
  const inner =
    `SELECT elapsed(${influxIdent(field)}, 1ms) AS e FROM ${influxIdent(scope.measurement)} ` +
    `WHERE ${whereTenant(scope, start, end)} GROUP BY ${influxIdent('device')}`;
  return (
    `SELECT max(e) AS gap, count(e) AS gaps FROM (${inner}) WHERE time >= ${start}ms AND time < ${end}ms ` +
    `GROUP BY time(1d), ${influxIdent('device')} fill(none) tz(${influxString(scope.timeZone)})`
  );
}

/** Per device and local day, the readings of one field. */
export function dailyFieldCountQuery(
  scope: ReadingsScope,
  field: string,
  start: number,
  end: number,
): string {
  return (
    `SELECT count(${influxIdent(field)}) AS n FROM ${influxIdent(scope.measurement)} WHERE ${whereTenant(scope, start, end)} ` +
    `GROUP BY time(1d), ${influxIdent('device')} fill(none) tz(${influxString(scope.timeZone)})`
  );
}

/** Per device and local day: the count of every field (a report = the largest count of the row). */
export function dailyCountQuery(scope: ReadingsScope, start: number, end: number): string {
  return (
    `SELECT count(*) FROM ${influxIdent(scope.measurement)} WHERE ${whereTenant(scope, start, end)} ` +
    `GROUP BY time(1d), ${influxIdent('device')} fill(none) tz(${influxString(scope.timeZone)})`
  );
}

/** Raw values of some fields in [start, end), per device, time order (a row per report holding any of them). */
export function rawQuery(
  scope: ReadingsScope,
  fields: readonly string[],
  start: number,
  end: number,
  device?: string,
): string {
  const dev = device === undefined ? '' : ` AND ${influxIdent('device')} = ${influxString(device)}`;
  return (
    `SELECT ${fields.map((f) => influxIdent(f)).join(', ')} FROM ${influxIdent(scope.measurement)} ` +
    `WHERE ${whereTenant(scope, start, end)}${dev} GROUP BY ${influxIdent('device')}`
  );
}

/** Timestamps of every report (any field) in [start, end), per device. */
export function reportTimesQuery(
  scope: ReadingsScope,
  start: number,
  end: number,
  devices: readonly string[] = [],
): string {
  const only = devices.length
    ? ` AND (${devices.map((d) => `${influxIdent('device')} = ${influxString(d)}`).join(' OR ')})`
    : '';
  return (
    `SELECT * FROM ${influxIdent(scope.measurement)} WHERE ${whereTenant(scope, start, end)}${only} ` +
    `GROUP BY ${influxIdent('device')}`
  );
}

/**
 * Per device, an InfluxQL selection (aggregates) over [start, end), with an optional extra condition; with
 * `dayOffsetMs`, per InfluxDB day bucket too (`time(1d, offset)` in the scope's time zone).
 */
export function windowAggregateQuery(
  scope: ReadingsScope,
  select: string,
  start: number,
  end: number,
  where = '',
  dayOffsetMs?: number,
): string {
  const group =
    dayOffsetMs === undefined
      ? influxIdent('device')
      : `time(1d, ${dayOffsetMs}ms), ${influxIdent('device')} fill(none) tz(${influxString(scope.timeZone)})`;
  return (
    `SELECT ${select} FROM ${influxIdent(scope.measurement)} WHERE ${whereTenant(scope, start, end)}` +
    `${where ? ` AND (${where})` : ''} GROUP BY ${group}`
  );
}

/**
 * The offset of InfluxDB's day bucket that is exactly `w`, if one is: `time(1d, offset)` in a time zone draws
 * [local midnight + offset, next local midnight + offset), offset in absolute time. A local day is one (offset 0),
 * and so is a night from noon to noon, except across a clock change (the change falls between midnight and noon).
 */
export function dayBucketOffset(w: KpiWindowSpan, timeZone: string): number | undefined {
  const wall = localWallMs(w.start, timeZone);
  const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
  const offset = wall - midnight;
  const start = localWallToUtc(midnight, timeZone) + offset;
  const end = localWallToUtc(midnight + DAY_MS, timeZone) + offset;
  return start === w.start && end === w.end ? offset : undefined;
}

/** Per device, its newest `limit` reports in (at − lookbackMs, at] with the fields given, newest first. */
export function latestReportsQuery(
  scope: ReadingsScope,
  fields: readonly string[],
  at: number,
  lookbackMs: number,
  limit: number,
): string {
  return (
    `SELECT ${fields.map((f) => influxIdent(f)).join(', ')} FROM ${influxIdent(scope.measurement)} ` +
    `WHERE ${whereTenant(scope, at - lookbackMs, at, true)} GROUP BY ${influxIdent('device')} ` +
    `ORDER BY time DESC LIMIT ${Math.max(1, Math.floor(limit))}`
  );
}

/** Per-day statistics of a field. */
/** One device-day of `dailyGaps`. */
export interface DailyGaps {
  readonly readings: number;
  readonly gaps: number;
  readonly maxGapMs: number;
}

export interface DailyStats {
  readonly min: number;
  readonly max: number;
  readonly count: number;
  readonly last: number;
}

/**
 * Reads the inputs of KPIs with InfluxQL, leaving the heavy reductions (sums, minima, counts per local day) to
 * InfluxDB and returning per-device, per-window values. Windows are KpiWindowSpan lists sorted by time.
 */
export class InfluxReadingsReader {
  constructor(private readonly influx: InfluxClient) {}

  /**
   * Consumption of a cumulative index per device and day window (`days` contiguous local days). The sums come
   * from InfluxDB; a day holding a reset (a negative delta) is recomputed from its raw readings with the domain's
   * reset/rollover rule, so a reset interval counts its new value and is never dropped.
   */
  async dailyIndexDeltas(
    scope: ReadingsScope,
    field: string,
    days: readonly KpiWindowSpan[],
    maxIndexOf: (device: string) => number | undefined = () => undefined,
    chunkDays = DAILY_CHUNK_DAYS,
  ): Promise<PerDeviceWindows<IndexWindowDelta>> {
    const out: PerDeviceWindows<IndexWindowDelta> = new Map();
    // A query per `chunkDays` days (a year of a thousand light points in one subquery outlasts any timeout); the
    // reading before a chunk is the last of the chunk before.
    let before: Map<string, Sample> | undefined;
    for (let c = 0; c < days.length; c += chunkDays) {
      const chunk = days.slice(c, c + chunkDays);
      const query = dailyIndexQuery(scope, field, chunk[0].start, chunk[chunk.length - 1].end);
      before = await this.indexDeltasOfSpan(scope, field, chunk, c, query, before, maxIndexOf, out);
    }
    return out;
  }

  /**
   * Index deltas of contiguous `windows` (a chunk of days, or one window) into `out` at `offset` + their index:
   * InfluxDB's sums (`query`, one row per device and window), windows holding a reset recomputed from raw readings,
   * and the interval opening each device's first window, from the reading before it — `before` (the last readings
   * of the contiguous span before) or a look back. Returns the last reading of each device at the span's end; a
   * device silent in the span keeps its earlier one, within the look back.
   */
  private async indexDeltasOfSpan(
    scope: ReadingsScope,
    field: string,
    windows: readonly KpiWindowSpan[],
    offset: number,
    query: string,
    before: Map<string, Sample> | undefined,
    maxIndexOf: (device: string) => number | undefined,
    out: PerDeviceWindows<IndexWindowDelta>,
  ): Promise<Map<string, Sample>> {
    const start = windows[0].start;
    const end = windows[windows.length - 1].end;
    const [sums, prev, firsts, lasts] = await Promise.all([
      this.influx.query(query),
      before ?? this.edgeReadings(scope, field, 'last', start - INDEX_LOOKBACK_MS, start),
      this.edgeReadings(scope, field, 'first', start, end),
      this.edgeReadings(scope, field, 'last', start, end),
    ]);
    for (const [d, p] of prev) if (!lasts.has(d) && p.ts > end - INDEX_LOOKBACK_MS) lasts.set(d, p);
    // Rows are about the window holding their bucket's time (a `time(1d, 1ms)` bucket ends at its day's end).
    const fromRaw = new Set<string>();
    for (const { device, cells } of seriesRows(sums)) {
      const index = windows.length === 1 ? 0 : windowIndexOf(windows, (cells['time'] as number) - 1);
      const sum = indexSumOf(cells);
      if (index < 0 || sum === undefined) continue;
      if (sum === 'reset') fromRaw.add(`${device}\n${index}`);
      else put(out, device, offset + index, sum);
    }
    for (const key of fromRaw) {
      const [device, index] = key.split('\n');
      const w = windows[Number(index)];
      put(
        out,
        device,
        offset + Number(index),
        await this.indexDeltaFromRaw(scope, field, device, w, maxIndexOf(device)),
      );
    }
    for (const [device, first] of firsts) {
      const p = prev.get(device);
      const index = windowIndexOf(windows, first.ts - 1);
      if (!p || index < 0 || fromRaw.has(`${device}\n${index}`)) continue;
      addOpeningInterval(out, device, offset + index, p, first, maxIndexOf(device));
    }
    return lasts;
  }

  /** Per device, its first or last numeric reading in (start, end]. */
  private async edgeReadings(
    scope: ReadingsScope,
    field: string,
    selector: 'first' | 'last',
    start: number,
    end: number,
    device?: string,
  ): Promise<Map<string, Sample>> {
    const out = new Map<string, Sample>();
    const q = edgeReadingQuery(scope, field, selector, start, end, device);
    for (const { device: d, cells } of seriesRows(await this.influx.query(q))) {
      const v = num(cells['v']);
      if (v !== undefined) out.set(d, { ts: cells['time'] as number, value: v });
    }
    return out;
  }

  /** One device-day from raw readings: the reading before the window, then those in (start, end]. */
  private async indexDeltaFromRaw(
    scope: ReadingsScope,
    field: string,
    device: string,
    w: KpiWindowSpan,
    maxIndex: number | undefined,
  ): Promise<IndexWindowDelta> {
    const before = await this.edgeReadings(
      scope,
      field,
      'last',
      w.start - INDEX_LOOKBACK_MS,
      w.start,
      device,
    );
    const inside = await this.rawSamples(scope, field, w.start + 1, w.end + 1, device);
    const samples: Sample[] = [];
    const prev = before.get(device);
    if (prev) samples.push(prev);
    for (const s of inside.get(device) ?? []) {
      if (typeof s.value === 'number') samples.push({ ts: s.ts, value: s.value });
    }
    return indexDeltasOfSamples(samples, [w], maxIndex).get(0) ?? { delta: 0, intervals: 0, resets: 0 };
  }

  /** Min, max, count and last value of a field per device and local day (`days` contiguous). */
  async dailyStats(
    scope: ReadingsScope,
    field: string,
    days: readonly KpiWindowSpan[],
  ): Promise<PerDeviceWindows<DailyStats>> {
    const out: PerDeviceWindows<DailyStats> = new Map();
    if (days.length === 0) return out;
    for (const chunk of chunks(days, DAILY_CHUNK_DAYS)) {
      const q = dailyStatsQuery(scope, field, chunk[0].start, chunk[chunk.length - 1].end);
      for (const { device, cells } of seriesRows(await this.influx.query(q))) {
        const index = windowIndexOf(days, cells['time'] as number);
        const min = num(cells['min']);
        const max = num(cells['max']);
        const last = num(cells['last']);
        const count = num(cells['n']) ?? 0;
        if (index < 0 || min === undefined || max === undefined || last === undefined || count === 0)
          continue;
        put(out, device, index, { min, max, count, last });
      }
    }
    return out;
  }

  /**
   * Per device and local day of `days` (contiguous): its readings of `field`, how many of them have the reading
   * before them within the day or the day before (`gaps`), and the longest such gap (ms). A day where
   * gaps = readings and the longest gap is short had no silence longer than it, its head included.
   */
  async dailyGaps(
    scope: ReadingsScope,
    field: string,
    days: readonly KpiWindowSpan[],
  ): Promise<PerDeviceWindows<DailyGaps>> {
    const out: PerDeviceWindows<DailyGaps> = new Map();
    for (const chunk of chunks(days, DAILY_CHUNK_DAYS)) {
      const start = chunk[0].start;
      const end = chunk[chunk.length - 1].end;
      // The gaps start a day early: a local day before (23 to 25 h) is within 26 h.
      const dayBefore = localWallToUtc(localWallMs(start, scope.timeZone) - DAY_MS, scope.timeZone);
      const [gaps, counts] = await Promise.all([
        this.influx.query(dailyGapsQuery(scope, field, dayBefore, end)),
        this.influx.query(dailyFieldCountQuery(scope, field, start, end)),
      ]);
      for (const { device, cells } of seriesRows(counts)) {
        const index = windowIndexOf(days, cells['time'] as number);
        const readings = num(cells['n']) ?? 0;
        if (index >= 0 && readings > 0) put(out, device, index, { readings, gaps: 0, maxGapMs: 0 });
      }
      for (const { device, cells } of seriesRows(gaps)) {
        const ts = cells['time'] as number;
        const index = ts >= start ? windowIndexOf(days, ts) : -1;
        const day = index >= 0 ? out.get(device)?.get(index) : undefined;
        if (!day) continue;
        put(out, device, index, { ...day, gaps: num(cells['gaps']) ?? 0, maxGapMs: num(cells['gap']) ?? 0 });
      }
    }
    return out;
  }

  /** Reports per device and local day: the largest field count of the day (`days` contiguous). */
  async dailyReports(
    scope: ReadingsScope,
    days: readonly KpiWindowSpan[],
  ): Promise<PerDeviceWindows<number>> {
    const out: PerDeviceWindows<number> = new Map();
    if (days.length === 0) return out;
    for (const chunk of chunks(days, DAILY_CHUNK_DAYS)) {
      const q = dailyCountQuery(scope, chunk[0].start, chunk[chunk.length - 1].end);
      for (const { device, cells } of seriesRows(await this.influx.query(q))) {
        const index = windowIndexOf(days, cells['time'] as number);
        let n = 0;
        for (const [k, v] of Object.entries(cells)) if (k.startsWith('count_')) n = Math.max(n, num(v) ?? 0);
        if (index >= 0 && n > 0) put(out, device, index, n);
      }
    }
    return out;
  }

  /** Report timestamps (a point with any field) in [start, end) per device, sorted; read in `chunkMs` chunks. */
  async reportTimes(
    scope: ReadingsScope,
    start: number,
    end: number,
    chunkMs = RAW_CHUNK_MS,
    devices: readonly string[] = [],
  ): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    for (let from = start; from < end; from += chunkMs) {
      const q = reportTimesQuery(scope, from, Math.min(end, from + chunkMs), devices);
      for (const { device, cells } of seriesRows(await this.influx.query(q))) {
        const ts = num(cells['time']);
        if (ts !== undefined) append(out, device, ts);
      }
    }
    return out;
  }

  /**
   * Raw samples of a field in [start, end), per device, sorted by time; nulls left out. Read in time chunks of
   * `chunkMs` (one query each), so a month of a thousand 15-minute devices is never one response.
   */
  async rawSamples(
    scope: ReadingsScope,
    field: string,
    start: number,
    end: number,
    device?: string,
    chunkMs = RAW_CHUNK_MS,
  ): Promise<Map<string, RawSample[]>> {
    const out = new Map<string, RawSample[]>();
    for (const [d, columns] of await this.rawColumns(scope, [field], start, end, device, chunkMs)) {
      const samples = columnSamples(columns, 0);
      if (samples.length) out.set(d, samples);
    }
    return out;
  }

  /**
   * Raw readings of several fields in [start, end) per device, as columns (one query per `chunkMs`, one pass over
   * the readings for all the fields): a row per report holding any of them; numbers and booleans kept, anything
   * else as absent.
   */
  async rawColumns(
    scope: ReadingsScope,
    fields: readonly string[],
    start: number,
    end: number,
    device?: string,
    chunkMs = RAW_CHUNK_MS,
  ): Promise<Map<string, ReadingColumns>> {
    const out = new Map<string, ReadingColumns>();
    for (let from = start; from < end; from += chunkMs) {
      const q = rawQuery(scope, fields, from, Math.min(end, from + chunkMs), device);
      for (const s of await this.influx.query(q)) {
        const d = s.tags?.['device'] ?? '';
        const at = fields.map((f) => s.columns.indexOf(f));
        const time = s.columns.indexOf('time');
        let columns = out.get(d);
        if (!columns) {
          columns = { ts: [], values: fields.map(() => []), booleans: fields.map(() => false) };
          out.set(d, columns);
        }
        const { ts, values, booleans } = columns;
        for (const row of s.values) {
          ts.push(row[time] as number);
          for (let k = 0; k < at.length; k++) {
            const v = at[k] < 0 ? null : row[at[k]];
            if (typeof v === 'number') values[k].push(v);
            else if (typeof v === 'boolean') {
              values[k].push(v ? 1 : 0);
              booleans[k] = true;
            } else values[k].push(NaN);
          }
        }
      }
    }
    return out;
  }

  /** Per device, its last numeric reading of `field` in (start, end]. */
  lastReadings(
    scope: ReadingsScope,
    field: string,
    start: number,
    end: number,
  ): Promise<Map<string, Sample>> {
    return this.edgeReadings(scope, field, 'last', start, end);
  }
  /**
   * Per device and window, the numeric cells of an InfluxQL aggregate selection (`select`, e.g.
   * `mean("power_w") AS p`) over [start, end); `where` narrows the readings. Runs of contiguous windows that are
   * InfluxDB day buckets with one offset (local days; nights but those across a clock change) are read up to
   * DAILY_CHUNK_DAYS per query; any other window with a query of its own.
   */
  async windowAggregates(
    scope: ReadingsScope,
    windows: readonly KpiWindowSpan[],
    select: string,
    where = '',
  ): Promise<PerDeviceWindows<Record<string, number>>> {
    const out: PerDeviceWindows<Record<string, number>> = new Map();
    const groups: { first: number; last: number; offset?: number }[] = [];
    windows.forEach((w, i) => {
      const offset = dayBucketOffset(w, scope.timeZone);
      const g = groups[groups.length - 1];
      const joins =
        g !== undefined &&
        offset !== undefined &&
        g.offset === offset &&
        windows[g.last].end === w.start &&
        g.last - g.first + 1 < DAILY_CHUNK_DAYS;
      if (joins) g.last = i;
      else groups.push({ first: i, last: i, offset });
    });
    for (const g of groups) {
      const start = windows[g.first].start;
      const q = windowAggregateQuery(scope, select, start, windows[g.last].end, where, g.offset);
      for (const { device, cells } of seriesRows(await this.influx.query(q))) {
        const time = cells['time'] as number;
        const index = g.offset === undefined ? g.first : windowIndexOf(windows, time);
        if (index < g.first || index > g.last || (g.offset !== undefined && windows[index].start !== time))
          continue;
        const values: Record<string, number> = {};
        for (const [k, v] of Object.entries(cells)) {
          const n = num(v);
          if (k !== 'time' && n !== undefined) values[k] = n;
        }
        put(out, device, index, values);
      }
    }
    return out;
  }

  /**
   * Per instant (index in `instants`) and device, the newest `limit` reports in (at − lookbackMs, at] with the
   * `fields` given (absent fields as null), newest first: a snapshot of the devices' state at each instant.
   */
  async latestReports(
    scope: ReadingsScope,
    fields: readonly string[],
    instants: readonly number[],
    lookbackMs: number,
    limit: number,
  ): Promise<Map<string, Record<string, unknown>[]>[]> {
    const out: Map<string, Record<string, unknown>[]>[] = [];
    for (const at of instants) {
      const byDevice = new Map<string, Record<string, unknown>[]>();
      const q = latestReportsQuery(scope, fields, at, lookbackMs, limit);
      for (const { device, cells } of seriesRows(await this.influx.query(q))) {
        const list = byDevice.get(device) ?? [];
        list.push(cells);
        byDevice.set(device, list);
      }
      for (const list of byDevice.values())
        list.sort((a, b) => (num(b['time']) ?? 0) - (num(a['time']) ?? 0));
      out.push(byDevice);
    }
    return out;
  }
}
