import { KPI_IDS } from '@vigie/contracts';
import { LIGHT_CONTROLLER } from '@vigie/devices';
import { HOUR_MS, overlapMs, stateSegments } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import { KpiComputation, KpiDevice, KpiPoint, KpiSkip, KpiSkipReason, spanOf } from '../../kpi-engine.types';
import {
  completenessShare,
  countPerWindow,
  expectedSamples,
  KpiWindowSpan,
  windowIndexOf,
} from '../../kpi-windows.utils';
import { lampStates, MAX_HOLD_INTERVALS, readLampSamples } from './lamp-states.utils';
import { RunReadContext, runShared } from '../run-readings.utils';

/**
 * L1 per light point and night (12:00 → 12:00 local): hours with `lamp_on` true, sample-and-hold (the domain's
 * state segments), split at the night boundaries. A night with at least one sample gets a point (0 h if unlit).
 */
export function burningHoursPoints(
  lights: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  nights: readonly KpiWindowSpan[],
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const end = nights[nights.length - 1].end;
  for (const light of lights) {
    const states = lampStates(samples.get(light.id) ?? []);
    const segments = stateSegments(states, {
      maxGapMs: MAX_HOLD_INTERVALS * light.intervalS * 1000,
      endTs: end,
    });
    const counts = countPerWindow(states, nights);
    const onMs = new Array<number>(nights.length).fill(0);
    for (const seg of segments) {
      if (!seg.on) continue;
      // A segment overlaps the night holding its start and those after it, until its end.
      for (
        let i = Math.max(0, windowIndexOf(nights, seg.start));
        i < nights.length && nights[i].start < seg.end;
        i++
      ) {
        onMs[i] += overlapMs(seg.start, seg.end, nights[i].start, nights[i].end);
      }
    }
    let any = false;
    nights.forEach((night, i) => {
      if (counts[i] === 0) return;
      any = true;
      points.push({
        kpi: KPI_IDS.L1_BURNING_HOURS,
        subject: light.id,
        window: 'night',
        ts: night.start,
        value: onMs[i] / HOUR_MS,
        completeness: completenessShare(counts[i], expectedSamples(night.end - night.start, light.intervalS)),
      });
    });
    if (!any) {
      skipped.push({
        subject: light.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no lamp_on reading from ${light.id} in the period's nights`,
      });
    }
  }
  return { points, skipped };
}

/** L1 of the run's nights, computed once per run (L1's points, and L6's burning hours). */
export function runBurningHours(
  ctx: RunReadContext,
  lights: readonly KpiDevice[],
): Promise<{ points: KpiPoint[]; skipped: KpiSkip[] }> {
  return runShared(ctx, 'L1.burning_hours', async () =>
    burningHoursPoints(lights, await readLampSamples(ctx, lights, spanOf(ctx.nights)), ctx.nights),
  );
}

export const BURNING_HOURS_KPI: KpiComputation = {
  family: 'L1',
  outputs: [KPI_IDS.L1_BURNING_HOURS],
  input: LIGHT_CONTROLLER,
  async compute(ctx, lights) {
    return { ...(await runBurningHours(ctx, lights)), replaces: spanOf(ctx.nights) };
  },
};
