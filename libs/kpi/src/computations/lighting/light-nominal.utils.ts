import { dayNumberToString, localDayNumber } from '@vigie/domain';
import { KpiDevice, KpiSite } from '../../kpi-engine.types';
import { dayWindows, KpiWindowSpan, nightWindows, parsePeriod } from '../../kpi-windows.utils';
import { numberAttribute } from '../kpi-scope.utils';

/** Site attribute of a street (light point site): the lamps' nominal power, W. */
export const NOMINAL_W_ATTRIBUTE = 'nominal_w';

/** Nominal power (W, > 0) of a light point from its site's `nominal_w`; an error text when absent or bad. */
export function nominalPowerOf(
  light: KpiDevice,
  sites: ReadonlyMap<string, KpiSite>,
): { value?: number; problem?: string } {
  const site = light.site === undefined ? undefined : sites.get(light.site);
  const n = numberAttribute(site?.attributes, NOMINAL_W_ATTRIBUTE);
  if (n.problem) return n;
  if (!(n.value !== undefined && n.value > 0))
    return {
      problem:
        light.site === undefined
          ? `light point ${light.id} has no site, so no ${NOMINAL_W_ATTRIBUTE} attribute`
          : `site ${light.site} has no ${NOMINAL_W_ATTRIBUTE} attribute (nominal lamp power, W > 0)`,
    };
  return n;
}

/** The local days, or the nights, of whole months (`months` contiguous), in order. */
export function windowsOfMonths(
  months: readonly KpiWindowSpan[],
  timeZone: string,
  kind: 'days' | 'nights',
): KpiWindowSpan[] {
  const period = parsePeriod(
    `${months[0].key}-01`,
    dayNumberToString(localDayNumber(months[months.length - 1].end - 1, timeZone)),
  );
  return kind === 'days' ? dayWindows(period, timeZone) : nightWindows(period, timeZone);
}
