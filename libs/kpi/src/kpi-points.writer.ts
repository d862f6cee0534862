import { InfluxClient, influxIdent, InfluxPoint, influxString } from '@vigie/adapters';
import { KPI_FIELDS, KPI_MEASUREMENT, KPI_TAGS, KpiOutputId } from '@vigie/contracts';
import { KpiPoint } from './kpi-engine.types';

/** A KPI point as the output contract's InfluxDB point (measurement `kpi`). */
export function toInfluxPoint(tenant: string, p: KpiPoint): InfluxPoint {
  return {
    measurement: KPI_MEASUREMENT,
    tags: {
      [KPI_TAGS.tenant]: tenant,
      [KPI_TAGS.kpi]: p.kpi,
      [KPI_TAGS.subject]: p.subject,
      [KPI_TAGS.window]: p.window,
      ...(p.method === undefined ? {} : { [KPI_TAGS.method]: p.method }),
    },
    fields: { [KPI_FIELDS.value]: p.value, [KPI_FIELDS.completeness]: p.completeness },
    ts: p.ts,
  };
}

/** Identity of a stored KPI point: its series (output, subject, window, method) and its time. */
function pointKey(kpi: string, subject: string, window: string, method: string, ts: number): string {
  return `${kpi}\u0000${subject}\u0000${window}\u0000${method}\u0000${ts}`;
}

/** A stored point that a recompute no longer produces. */
export interface StaleKpiPoint {
  readonly kpi: string;
  readonly subject: string;
  readonly window: string;
  /** '' when the point has no method tag. */
  readonly method: string;
  readonly ts: number;
}

/**
 * Writes KPI points through the InfluxDB adapter. `replace` leaves exactly the new points of each output in
 * [start, end): it writes them (same series and time overwrite), then deletes only the stored points the run no
 * longer produces (e.g. a collection that turned out not to be one).
 *
 * Why not "delete the range, then write": on InfluxDB 1.x (seen on 1.6.7) a DELETE that empties a series,
 * followed by a write that re-creates it while another DELETE runs on the database, can leave the series out of
 * the index: its points are stored but no query finds them until the server restarts. Two concurrent KPI lanes
 * under ingestion load did this in CI. Writing first never empties a series that is being rewritten, and a
 * steady-state recompute deletes nothing at all.
 */
export class KpiPointsWriter {
  constructor(private readonly influx: InfluxClient) {}

  async replace(
    tenant: string,
    outputs: readonly KpiOutputId[],
    range: { readonly start: number; readonly end: number },
    points: readonly KpiPoint[],
  ): Promise<void> {
    await this.influx.writePoints(points.map((p) => toInfluxPoint(tenant, p)));
    const fresh = new Set(points.map((p) => pointKey(p.kpi, p.subject, p.window, p.method ?? '', p.ts)));
    for (const stale of await this.stalePoints(tenant, outputs, range, fresh)) {
      await this.influx.deleteRange(
        KPI_MEASUREMENT,
        {
          [KPI_TAGS.tenant]: tenant,
          [KPI_TAGS.kpi]: stale.kpi,
          [KPI_TAGS.subject]: stale.subject,
          [KPI_TAGS.window]: stale.window,
          [KPI_TAGS.method]: stale.method,
        },
        stale.ts,
        stale.ts + 1,
      );
    }
  }

  /** The stored points of `outputs` in the range that are not in `fresh`: one query for all the outputs. */
  private async stalePoints(
    tenant: string,
    outputs: readonly KpiOutputId[],
    range: { readonly start: number; readonly end: number },
    fresh: ReadonlySet<string>,
  ): Promise<StaleKpiPoint[]> {
    if (outputs.length === 0) return [];
    const tag = (t: string) => influxIdent(t);
    const anyOutput = outputs.map((o) => `${tag(KPI_TAGS.kpi)} = ${influxString(o)}`).join(' OR ');
    const series = await this.influx.query(
      `SELECT ${influxIdent(KPI_FIELDS.completeness)} FROM ${influxIdent(KPI_MEASUREMENT)}` +
        ` WHERE ${tag(KPI_TAGS.tenant)} = ${influxString(tenant)} AND (${anyOutput})` +
        ` AND time >= ${range.start}ms AND time < ${range.end}ms` +
        ` GROUP BY ${tag(KPI_TAGS.kpi)}, ${tag(KPI_TAGS.subject)}, ${tag(KPI_TAGS.window)}, ${tag(KPI_TAGS.method)}`,
    );
    const stale: StaleKpiPoint[] = [];
    for (const s of series) {
      const kpi = s.tags?.[KPI_TAGS.kpi] ?? '';
      const subject = s.tags?.[KPI_TAGS.subject] ?? '';
      const window = s.tags?.[KPI_TAGS.window] ?? '';
      const method = s.tags?.[KPI_TAGS.method] ?? '';
      for (const row of s.values ?? []) {
        const ts = Number(row[0]);
        if (!fresh.has(pointKey(kpi, subject, window, method, ts)))
          stale.push({ kpi, subject, window, method, ts });
      }
    }
    return stale;
  }
}
