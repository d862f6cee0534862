import { InfluxClient, influxString } from '@vigie/adapters';
import { KPI_FIELDS, KPI_MEASUREMENT, KPI_TAGS, KpiOutputId } from '@vigie/contracts';
import { KpiPoint } from './kpi-engine.types';

/** InfluxQL selecting one tenant's stored points of one KPI output in [start, end). */
export function storedKpiQuery(tenant: string, kpi: KpiOutputId, start: number, end: number): string {
  return (
    `SELECT "${KPI_FIELDS.value}", "${KPI_FIELDS.completeness}" FROM "${KPI_MEASUREMENT}"` +
    ` WHERE "${KPI_TAGS.tenant}" = ${influxString(tenant)} AND "${KPI_TAGS.kpi}" = ${influxString(kpi)}` +
    ` AND time >= ${start}ms AND time < ${end}ms GROUP BY "${KPI_TAGS.subject}", "${KPI_TAGS.window}", "${KPI_TAGS.method}"`
  );
}

/**
 * Reads KPI points back from the `kpi` measurement, so that a KPI of a long window (a year) is derived from the
 * stored points of a short one (its days) instead of re-reading a year of raw readings. The engine runs KPIs in
 * order, so a derived KPI placed after its source sees the source's points of the same run.
 */
export class KpiPointsReader {
  constructor(private readonly influx: InfluxClient) {}

  /** Stored points of `kpi` in [start, end), sorted by subject then time. */
  async read(tenant: string, kpi: KpiOutputId, start: number, end: number): Promise<KpiPoint[]> {
    const series = await this.influx.queryOrEmpty(storedKpiQuery(tenant, kpi, start, end));
    const out: KpiPoint[] = [];
    for (const s of series) {
      const col = (name: string) => s.columns.indexOf(name);
      const [t, v, c] = [col('time'), col(KPI_FIELDS.value), col(KPI_FIELDS.completeness)];
      const subject = s.tags?.[KPI_TAGS.subject] ?? '';
      const window = (s.tags?.[KPI_TAGS.window] ?? 'day') as KpiPoint['window'];
      const method = s.tags?.[KPI_TAGS.method] || undefined;
      for (const row of s.values) {
        if (typeof row[v] !== 'number') continue;
        out.push({
          kpi,
          subject,
          window,
          ...(method === undefined ? {} : { method }),
          ts: row[t] as number,
          value: row[v] as number,
          completeness: typeof row[c] === 'number' ? (row[c] as number) : 0,
        });
      }
    }
    return out.sort((a, b) => a.subject.localeCompare(b.subject) || a.ts - b.ts);
  }
}
