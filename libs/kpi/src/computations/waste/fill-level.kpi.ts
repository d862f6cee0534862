import { KPI_IDS } from '@vigie/contracts';
import { BIN_SENSOR } from '@vigie/devices';
import { filteredFillLevel } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import { KpiComputation, KpiDevice, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { completenessShare, expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { perSiteOrTenant } from '../kpi-scope.utils';
import { numericSamples, readFillSamples, samplesPerWindow } from './waste-samples.utils';

/**
 * K1 per bin and local day: the filtered level at the end of the day (median of its last 3 valid readings), and
 * per bin site the mean of its bins' levels (bins without a site grouped under the tenant's id, as K2).
 */
export function fillLevelPoints(
  tenant: string,
  bins: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  days: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const levels = new Map<string, (number | undefined)[]>();
  for (const bin of bins) {
    const perDay = samplesPerWindow(numericSamples(samples.get(bin.id)), days);
    const binLevels = perDay.map((daySamples) => filteredFillLevel(daySamples));
    levels.set(bin.id, binLevels);
    days.forEach((day, i) => {
      const level = binLevels[i];
      if (level === undefined) return;
      points.push({
        kpi: KPI_IDS.K1_FILL_PCT,
        subject: bin.id,
        window: 'day',
        ts: day.start,
        value: level,
        completeness: completenessShare(
          perDay[i].length,
          expectedSamples(day.end - day.start, bin.intervalS),
        ),
      });
    });
    if (binLevels.every((l) => l === undefined))
      skipped.push({
        subject: bin.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no fill_pct reading from ${bin.id} in the period`,
      });
  }
  for (const [subject, siteBins] of perSiteOrTenant(bins, tenant)) {
    days.forEach((day, i) => {
      const values: number[] = [];
      for (const b of siteBins) {
        const v = levels.get(b.id)?.[i];
        if (v !== undefined) values.push(v);
      }
      if (values.length === 0) return;
      points.push({
        kpi: KPI_IDS.K1_DISTRICT_MEAN_FILL_PCT,
        subject,
        window: 'day',
        ts: day.start,
        value: values.reduce((a, b) => a + b, 0) / values.length,
        completeness: values.length / siteBins.length,
      });
    });
  }
  return { points, skipped };
}

export const FILL_LEVEL_KPI: KpiComputation = {
  family: 'K1',
  outputs: [KPI_IDS.K1_FILL_PCT, KPI_IDS.K1_DISTRICT_MEAN_FILL_PCT],
  input: BIN_SENSOR,
  async compute(ctx, bins) {
    const span = spanOf(ctx.days);
    const samples = await readFillSamples(ctx, span);
    return { ...fillLevelPoints(ctx.tenant, bins, samples, ctx.days), replaces: span };
  },
};
