import { DEGREE_DAY_METHODS, KPI_IDS } from '@vigie/contracts';
import { WEATHER_STATION } from '@vigie/devices';
import { DEFAULT_DEGREE_DAY_BASE_C, degreeDayCostic, degreeDayMeteo } from '@vigie/domain';
import { DailyStats, PerDeviceWindows } from '../../influx-readings.reader';
import { KpiComputation, KpiDevice, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import { completenessShare, expectedSamples, KpiWindowSpan } from '../../kpi-windows.utils';
import { scopeOf } from '../kpi-scope.utils';

/** B3 per weather station and local day, both methods, from the day's Tn = min and Tx = max (base 18 °C). */
export function degreeDayPoints(
  stations: readonly KpiDevice[],
  stats: PerDeviceWindows<DailyStats>,
  days: readonly KpiWindowSpan[],
  base = DEFAULT_DEGREE_DAY_BASE_C,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  for (const station of stations) {
    const perDay = stats.get(station.id);
    if (!perDay || perDay.size === 0) {
      skipped.push({
        subject: station.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no temperature_c reading from ${station.id} in the period`,
      });
      continue;
    }
    days.forEach((day, i) => {
      const s = perDay.get(i);
      if (!s) return;
      const completeness = completenessShare(
        s.count,
        expectedSamples(day.end - day.start, station.intervalS),
      );
      for (const method of DEGREE_DAY_METHODS) {
        points.push({
          kpi: KPI_IDS.B3_DJU,
          subject: station.id,
          window: 'day',
          method,
          ts: day.start,
          value:
            method === 'meteo' ? degreeDayMeteo(s.min, s.max, base) : degreeDayCostic(s.min, s.max, base),
          completeness,
        });
      }
    });
  }
  return { points, skipped };
}

export const DEGREE_DAYS_KPI: KpiComputation = {
  family: 'B3',
  outputs: [KPI_IDS.B3_DJU],
  input: WEATHER_STATION,
  async compute(ctx, stations) {
    const stats = await ctx.readings.dailyStats(scopeOf(ctx, WEATHER_STATION), 'temperature_c', ctx.days);
    return { ...degreeDayPoints(stations, stats, ctx.days), replaces: spanOf(ctx.days) };
  },
};
