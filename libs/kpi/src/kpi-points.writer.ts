import { InfluxClient, InfluxPoint } from '@vigie/adapters';
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

/**
 * Writes KPI points through the InfluxDB adapter. `replace` first deletes the tenant's stored points of each
 * output in [start, end), then writes: a recompute leaves exactly the new points (same series and time overwrite;
 * a value that no longer exists, e.g. a collection that turned out not to be one, is removed).
 */
export class KpiPointsWriter {
  constructor(private readonly influx: InfluxClient) {}

  async replace(
    tenant: string,
    outputs: readonly KpiOutputId[],
    range: { readonly start: number; readonly end: number },
    points: readonly KpiPoint[],
  ): Promise<void> {
    for (const kpi of outputs) {
      await this.influx.deleteRange(
        KPI_MEASUREMENT,
        { [KPI_TAGS.tenant]: tenant, [KPI_TAGS.kpi]: kpi },
        range.start,
        range.end,
      );
    }
    await this.influx.writePoints(points.map((p) => toInfluxPoint(tenant, p)));
  }
}
