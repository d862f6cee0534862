import { degreeDayCostic, localDayBounds } from '@vigie/domain';
import { WeatherProcess } from './weather.process';
import { WeatherSpec } from './scenario.schema';

const HOUR_MS = 3_600_000;
/** A non-leap year stands for the normal year (the seasonal cycle does not depend on the year). */
const NORMAL_YEAR = 2023;

/**
 * Normal heating degree days of the scenario's climate, per month (January → December), COSTIC method, base 18 °C:
 * each local day's Tn and Tx are the min and max of the noise-free temperature (seasonal + daily cycle) sampled
 * hourly. What the buildings' `dju_ref_months` attribute carries, so that B4 and B9 normalise against the same
 * climate the simulator draws around (the noise adds a little in mid-season).
 */
export function normalMonthlyDegreeDays(
  weather: WeatherSpec,
  location: { readonly lat: number; readonly lon: number; readonly time_zone: string },
): number[] {
  const process = new WeatherProcess(weather, location.lat, location.lon, 0);
  const months = Array.from({ length: 12 }, () => 0);
  for (let month = 0; month < 12; month++) {
    const days = new Date(Date.UTC(NORMAL_YEAR, month + 1, 0)).getUTCDate();
    for (let d = 1; d <= days; d++) {
      const day = `${NORMAL_YEAR}-${String(month + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      const { start, end } = localDayBounds(day, location.time_zone);
      let tn = Infinity;
      let tx = -Infinity;
      for (let ts = start; ts < end; ts += HOUR_MS) {
        const t = process.temperature(ts, false);
        tn = Math.min(tn, t);
        tx = Math.max(tx, t);
      }
      months[month] += degreeDayCostic(tn, tx);
    }
  }
  return months;
}
