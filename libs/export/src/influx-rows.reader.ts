import { InfluxClient, influxIdent, influxString } from '@vigie/adapters';
import { fieldTypeOfInflux, InfluxFieldType } from './archive.schemas';

/** One stored point as InfluxQL's `SELECT *` returns it: `time` (epoch ms), tags and fields by column name. */
export type InfluxRow = Record<string, unknown> & { readonly time: number };

export interface InfluxRowsQuery {
  readonly measurement: string;
  readonly tenant: string;
  /** Only the points whose tag `tag` is `value` (e.g. one device). */
  readonly partition?: { readonly tag: string; readonly value: string };
  /** [from, to) in epoch ms; absent: unbounded. */
  readonly from?: number;
  readonly to?: number;
  /** Points per query (default 10,000). */
  readonly pageSize?: number;
}

export const DEFAULT_PAGE_SIZE = 10_000;

/**
 * The points of one measurement and tenant (and partition), oldest first, in pages of at most `pageSize` points:
 * each query asks for the points from the last page's last instant on (`time >= t ORDER BY time LIMIT n`), and the
 * points of that instant already returned are skipped, so a page boundary inside one instant loses nothing.
 */
export async function* influxRows(influx: InfluxClient, q: InfluxRowsQuery): AsyncGenerator<InfluxRow[]> {
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  let cursor = q.from;
  let seenAtCursor = new Set<string>();
  for (;;) {
    const where = [`${influxIdent('tenant')} = ${influxString(q.tenant)}`];
    if (q.partition) where.push(`${influxIdent(q.partition.tag)} = ${influxString(q.partition.value)}`);
    if (cursor !== undefined) where.push(`time >= ${cursor}ms`);
    if (q.to !== undefined) where.push(`time < ${q.to}ms`);
    const series = await influx.query(
      `SELECT * FROM ${influxIdent(q.measurement)} WHERE ${where.join(' AND ')} ORDER BY time ASC LIMIT ${pageSize}`,
    );
    const page: InfluxRow[] = [];
    let count = 0;
    for (const s of series) {
      for (const v of s.values) {
        count++;
        const row = Object.fromEntries(s.columns.map((c, i) => [c, v[i]])) as InfluxRow;
        if (row.time === cursor && seenAtCursor.has(rowKey(row))) continue;
        page.push(row);
      }
    }
    if (page.length > 0) yield page;
    if (count < pageSize) return;
    if (page.length === 0) {
      throw new Error(
        `more than ${pageSize} points of ${q.measurement} at one instant (${new Date(cursor ?? 0).toISOString()}): raise the page size`,
      );
    }
    const last = page[page.length - 1].time;
    const atLast = page.filter((r) => r.time === last).map(rowKey);
    seenAtCursor = last === cursor ? new Set([...seenAtCursor, ...atLast]) : new Set(atLast);
    cursor = last;
  }
}

/** A point's identity within one instant: every column (its tags tell its series). */
function rowKey(row: InfluxRow): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((k) => row[k]),
  );
}

/** Tag keys of a measurement (every tenant's). */
export async function tagKeys(influx: InfluxClient, measurement: string): Promise<string[]> {
  const series = await influx.queryOrEmpty(`SHOW TAG KEYS FROM ${influxIdent(measurement)}`);
  return series.flatMap((s) => s.values.map((v) => String(v[0])));
}

/** Field keys of a measurement with their types (the first type when shards disagree). */
export async function fieldKeys(
  influx: InfluxClient,
  measurement: string,
): Promise<{ name: string; type: InfluxFieldType }[]> {
  const series = await influx.queryOrEmpty(`SHOW FIELD KEYS FROM ${influxIdent(measurement)}`);
  return series.flatMap((s) =>
    s.values.map((v) => ({ name: String(v[0]), type: fieldTypeOfInflux(String(v[1])) })),
  );
}

/** The values of tag `key` in a measurement's points of one tenant, sorted. */
export async function tagValues(
  influx: InfluxClient,
  measurement: string,
  key: string,
  tenant: string,
): Promise<string[]> {
  const series = await influx.queryOrEmpty(
    `SHOW TAG VALUES FROM ${influxIdent(measurement)} WITH KEY = ${influxIdent(key)} WHERE ${influxIdent('tenant')} = ${influxString(tenant)}`,
  );
  return [...new Set(series.flatMap((s) => s.values.map((v) => String(v[1]))))].sort();
}

/** Whether InfluxDB holds any point of the tenant (any measurement). */
export async function tenantHasPoints(influx: InfluxClient, tenant: string): Promise<boolean> {
  const series = await influx.queryOrEmpty(
    `SHOW SERIES WHERE ${influxIdent('tenant')} = ${influxString(tenant)} LIMIT 1`,
  );
  return series.some((s) => s.values.length > 0);
}
