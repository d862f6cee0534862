import { KPI_IDS } from '@vigie/contracts';
import { LIGHT_CONTROLLER } from '@vigie/devices';
import { switchOffCompliance, SwitchOffWindow } from '@vigie/domain';
import { RawSample } from '../../influx-readings.reader';
import {
  KpiComputation,
  KpiDevice,
  KpiPoint,
  KpiSite,
  KpiSkip,
  KpiSkipReason,
  spanOf,
} from '../../kpi-engine.types';
import { KpiWindowSpan } from '../../kpi-windows.utils';
import { lampStates, MAX_HOLD_INTERVALS, readLampSamples } from './lamp-states.utils';

/** The site attribute holding the municipal switch-off window, `HH:MM-HH:MM` local (the simulator's format). */
export const SWITCH_OFF_ATTRIBUTE = 'switch_off';

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * A `switch_off` attribute as a window in local hours: undefined when absent or empty (no switch-off there), an
 * error text when malformed or when it does not fit in one night (12:00 → 12:00).
 */
export function parseSwitchOff(raw: string | undefined): { window?: SwitchOffWindow; problem?: string } {
  if (raw === undefined || raw.trim() === '') return {};
  const [from, to, ...rest] = raw.trim().split('-');
  const a = CLOCK.exec(from ?? '');
  const b = CLOCK.exec(to ?? '');
  const bad = { problem: `attribute ${SWITCH_OFF_ATTRIBUTE}='${raw}' is not a HH:MM-HH:MM night window` };
  if (!a || !b || rest.length > 0) return bad;
  const startHour = Number(a[1]) + Number(a[2]) / 60;
  const endHour = Number(b[1]) + Number(b[2]) / 60;
  // Hours before noon belong to the next morning: the window must start before it ends within the night.
  const inNight = (h: number) => (h >= 12 ? h : h + 24);
  if (inNight(endHour) <= inNight(startHour)) return bad;
  return { window: { startHour, endHour } };
}

/**
 * L7 per light point and night: minutes ON inside its site's switch-off window and 1 − ON / window minutes (the
 * domain's `switchOffCompliance`), sample-and-hold within 2 intervals. A night whose window holds known states
 * gets both points; completeness = known minutes / window minutes.
 */
export function switchOffPoints(
  lights: readonly KpiDevice[],
  samples: ReadonlyMap<string, readonly RawSample[]>,
  nights: readonly KpiWindowSpan[],
  sites: ReadonlyMap<string, KpiSite>,
  timeZone: string,
): { points: KpiPoint[]; skipped: KpiSkip[] } {
  const points: KpiPoint[] = [];
  const skipped: KpiSkip[] = [];
  const end = nights[nights.length - 1].end;
  const byKey = new Map(nights.map((n, i) => [n.key, i]));
  for (const light of lights) {
    const raw =
      light.site === undefined ? undefined : sites.get(light.site)?.attributes[SWITCH_OFF_ATTRIBUTE];
    const { window, problem } = parseSwitchOff(raw);
    if (!window) {
      skipped.push({
        subject: light.id,
        reason: KpiSkipReason.MissingInputs,
        detail:
          problem ??
          `${light.id}: its site ${light.site ?? '(none)'} has no ${SWITCH_OFF_ATTRIBUTE} window attribute`,
      });
      continue;
    }
    const perNight = switchOffCompliance(lampStates(samples.get(light.id) ?? []), window, {
      maxGapMs: MAX_HOLD_INTERVALS * light.intervalS * 1000,
      endTs: end,
      timeZone,
    });
    let any = false;
    for (const n of perNight) {
      const i = byKey.get(n.night);
      if (i === undefined || !(n.observedMinutes > 0)) continue;
      any = true;
      const completeness = Math.min(1, n.observedMinutes / n.windowMinutes);
      const common = { subject: light.id, window: 'night' as const, ts: nights[i].start, completeness };
      points.push(
        { kpi: KPI_IDS.L7_SWITCH_OFF_ON_MINUTES, ...common, value: n.onMinutes },
        { kpi: KPI_IDS.L7_SWITCH_OFF_COMPLIANCE, ...common, value: n.compliance },
      );
    }
    if (!any) {
      skipped.push({
        subject: light.id,
        reason: KpiSkipReason.NoReadings,
        detail: `no lamp_on state of ${light.id} known in the period's switch-off windows`,
      });
    }
  }
  return { points, skipped };
}

export const SWITCH_OFF_KPI: KpiComputation = {
  family: 'L7',
  outputs: [KPI_IDS.L7_SWITCH_OFF_ON_MINUTES, KPI_IDS.L7_SWITCH_OFF_COMPLIANCE],
  input: LIGHT_CONTROLLER,
  async compute(ctx, lights) {
    const span = spanOf(ctx.nights);
    const samples = await readLampSamples(ctx, lights, span);
    return {
      ...switchOffPoints(lights, samples, ctx.nights, ctx.sites, ctx.timeZone),
      replaces: span,
    };
  },
};
