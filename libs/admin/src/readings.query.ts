import { InfluxClient, influxIdent, influxString } from '@vigie/adapters';
import { DeviceKind } from '@vigie/domain';

export const READING_AGGREGATES = ['mean', 'min', 'max', 'sum', 'count', 'last'] as const;
export type ReadingAggregate = (typeof READING_AGGREGATES)[number];

/** At most this many intervals per device in one aggregated answer. */
export const MAX_BUCKETS = 10_000;

export interface ReadingsRequest {
  readonly tenant: string;
  readonly kind: DeviceKind;
  readonly device?: string;
  readonly site?: string;
  /** One metric of the kind; all of them when absent (raw readings only). */
  readonly metric?: string;
  readonly from: number;
  readonly to: number;
  /** Aggregation interval in seconds; absent: raw readings. */
  readonly intervalS?: number;
  readonly aggregate: ReadingAggregate;
  readonly limit: number;
  /** Offset of the page (the nextCursor of the previous one). */
  readonly cursor?: number;
}

export interface ReadingRow {
  readonly time: string;
  readonly device: string;
  readonly site?: string;
  readonly values: Record<string, number | boolean | string | null>;
}

export interface ReadingsPage {
  readonly measurement: string;
  readonly rows: ReadingRow[];
  readonly nextCursor?: string;
}

/**
 * Readings of one kind for the API, raw or aggregated per interval, of a device, a site or every device of the
 * tenant. Raw rows are ordered by time; aggregated rows by device then time. Pages by offset (the data of a past
 * range does not move).
 */
export class ReadingsQuery {
  constructor(private readonly influx: InfluxClient) {}

  async read(r: ReadingsRequest): Promise<ReadingsPage> {
    const metrics = r.metric === undefined ? Object.keys(r.kind.metrics) : [r.metric];
    const where = [
      `${influxIdent('tenant')} = ${influxString(r.tenant)}`,
      ...(r.device === undefined ? [] : [`${influxIdent('device')} = ${influxString(r.device)}`]),
      ...(r.site === undefined ? [] : [`${influxIdent('site')} = ${influxString(r.site)}`]),
      `time >= ${r.from}ms AND time < ${r.to}ms`,
    ].join(' AND ');
    const offset = r.cursor ?? 0;
    const from = influxIdent(r.kind.measurement);
    const rowOf = (columns: string[], v: unknown[], device: unknown, site?: unknown): ReadingRow => {
      const values: ReadingRow['values'] = {};
      for (const m of metrics) values[m] = (v[columns.indexOf(m)] ?? null) as ReadingRow['values'][string];
      return {
        time: new Date(Number(v[columns.indexOf('time')])).toISOString(),
        device: String(device ?? ''),
        ...(typeof site === 'string' && site ? { site } : {}),
        values,
      };
    };
    let rows: ReadingRow[];
    if (r.intervalS === undefined) {
      // Raw: InfluxDB pages (LIMIT/OFFSET), ordered by time.
      const select = [...metrics.map(influxIdent), influxIdent('device'), influxIdent('site')].join(', ');
      const q = `SELECT ${select} FROM ${from} WHERE ${where} ORDER BY time ASC LIMIT ${r.limit + 1} OFFSET ${offset}`;
      rows = (await this.influx.queryOrEmpty(q)).flatMap((s) =>
        s.values.map((v) =>
          rowOf(s.columns, v, v[s.columns.indexOf('device')], v[s.columns.indexOf('site')]),
        ),
      );
    } else {
      // Aggregated: one series per device; paged here, ordered by device then time.
      const select = metrics.map((m) => `${r.aggregate}(${influxIdent(m)}) AS ${influxIdent(m)}`).join(', ');
      const q =
        `SELECT ${select} FROM ${from} WHERE ${where} GROUP BY time(${r.intervalS}s), ${influxIdent('device')} ` +
        `fill(none) LIMIT ${MAX_BUCKETS}`;
      rows = (await this.influx.queryOrEmpty(q))
        .flatMap((s) => s.values.map((v) => rowOf(s.columns, v, s.tags?.['device'])))
        .sort((x, y) => x.device.localeCompare(y.device) || x.time.localeCompare(y.time))
        .slice(offset, offset + r.limit + 1);
    }
    const more = rows.length > r.limit;
    return {
      measurement: r.kind.measurement,
      rows: rows.slice(0, r.limit),
      ...(more ? { nextCursor: String(offset + r.limit) } : {}),
    };
  }
}
