import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalMonthlyDegreeDays } from './climate-normals';
import { parseScenario } from './scenario.parser';
import { WeatherSpec } from './scenario.schema';
import { layoutTown } from './town.layout';

const DEMO = parseScenario(
  readFileSync(join(__dirname, '../../scenarios/demo-town.yaml'), 'utf8'),
  'demo-town.yaml',
);
const PARIS = { lat: 48.85, lon: 2.3, time_zone: 'Europe/Paris' };

describe('normal degree days of a scenario climate', () => {
  it('gives a constant climate its exact DJU: 18 − 8 = 10 °C·day every day', () => {
    // Mean 8 °C, no seasonal amplitude, no daily range: T = 8 °C all year → Tn = Tx = 8 → COSTIC 18 − 8 = 10 a day;
    // January 31 × 10 = 310, February 28 × 10 = 280, the year 365 × 10 = 3,650.
    const flat: WeatherSpec = {
      ...DEMO.weather,
      temperature_c: {
        ...DEMO.weather.temperature_c,
        annual_mean: 8,
        seasonal_amplitude: 0,
        daily_range: { winter: 0, summer: 0 },
      },
    };
    const normals = normalMonthlyDegreeDays(flat, PARIS);
    expect(normals[0]).toBeCloseTo(310, 9);
    expect(normals[1]).toBeCloseTo(280, 9);
    expect(normals.reduce((s, v) => s + v, 0)).toBeCloseTo(3650, 9);
  });

  it('gives the demo town a Paris-like year, cold in January, little in July', () => {
    const normals = normalMonthlyDegreeDays(DEMO.weather, PARIS);
    const year = normals.reduce((s, v) => s + v, 0);
    // Mean 12.2 °C, amplitude 7.6 °C: January ≈ 18 − 4.6 = 13.4 °C·day a day ≈ 415; July mostly above 18 °C.
    expect(normals[0]).toBeGreaterThan(380);
    expect(normals[0]).toBeLessThan(450);
    // July: mean ≈ 19.8 °C, but Tn ≈ 14.8 °C < 18 °C, so COSTIC still counts a little.
    expect(normals[6]).toBeLessThan(40);
    expect(year).toBeGreaterThan(2000);
    expect(year).toBeLessThan(2800);
  });

  it('puts the energy-management attributes on every building site of the demo town', () => {
    const { town } = layoutTown(DEMO);
    const school = town.sites.find((s) => s.id === 'ecole-jean-jaures');
    expect(school?.attributes).toMatchObject({
      weather_station: 'meteo-hotel-de-ville',
      baseline: '28d',
      baseline_min_days: '28',
      reference_year: '2019',
      reference_kwh_yr: '290000',
    });
    expect(school?.attributes['dju_ref_months']?.split(',')).toHaveLength(12);
  });
});
