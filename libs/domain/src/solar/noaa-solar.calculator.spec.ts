import { civilTwilight, solarPosition, sunTimes } from './noaa-solar.calculator';

const PARIS = { lat: 48.8566, lon: 2.3522 };
const MINUTE = 60_000;

/** Epoch ms of a Paris wall-clock time given with its UTC offset (+1 winter, +2 summer). */
function parisTime(date: string, hhmm: string, offsetH: 1 | 2): number {
  return Date.parse(`${date}T${hhmm}:00+0${offsetH}:00`);
}

function dayOf(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number);
  return { year, month, day };
}

describe('sunTimes (NOAA) against published Paris times, ±1 min', () => {
  // Published values are given to the minute, in Paris legal time. Tolerance: 1 minute (60 s) around the
  // published minute, which also absorbs the publishers' rounding (and their own refraction model).
  // Sources:
  //  [a] dateandtime.info, quoted by parisdepeches.fr "C'est l'hiver, les jours rallongent" (Dec 2019):
  //      Sun 22 Dec 2019 sunrise 8h42, transit 12h49, sunset 16h56.
  //  [b] RTL, "solstice d'hiver ... mardi 21 décembre" (2021): sunrise 8h41, sunset 16h56.
  //  [c] pratique.fr, "les journées continuent de raccourcir" (Thu 18 Dec 2014): sunset 16h54, sunrise 8h40.
  //  [d] ephemeride.com, quoted by centrepresseaveyron.fr (28 Oct 2023): Paris sunsets Sun 29 Oct 2023 (the
  //      DST change day, back to UTC+1) 17h36, 30 Oct 17h34, 31 Oct 17h32, 1 Nov 17h30, 2 Nov 17h29, 3 Nov 17h27.
  //  [e] pariswerewolves.blogspot.com, "16 Hours of Daylight" (24 Jun 2023): sunrise 5:48 AM, sunset 9:58 PM.
  it.each<[string, 'sunrise' | 'sunset' | 'solarNoon', string, 1 | 2, string]>([
    ['2019-12-22', 'sunrise', '08:42', 1, 'a'],
    ['2019-12-22', 'solarNoon', '12:49', 1, 'a'],
    ['2019-12-22', 'sunset', '16:56', 1, 'a'],
    ['2021-12-21', 'sunrise', '08:41', 1, 'b'],
    ['2021-12-21', 'sunset', '16:56', 1, 'b'],
    ['2014-12-18', 'sunrise', '08:40', 1, 'c'],
    ['2014-12-18', 'sunset', '16:54', 1, 'c'],
    ['2023-10-29', 'sunset', '17:36', 1, 'd'],
    ['2023-10-30', 'sunset', '17:34', 1, 'd'],
    ['2023-10-31', 'sunset', '17:32', 1, 'd'],
    ['2023-11-01', 'sunset', '17:30', 1, 'd'],
    ['2023-11-02', 'sunset', '17:29', 1, 'd'],
    ['2023-11-03', 'sunset', '17:27', 1, 'd'],
    ['2023-06-24', 'sunrise', '05:48', 2, 'e'],
    ['2023-06-24', 'sunset', '21:58', 2, 'e'],
  ])('%s %s ≈ %s (UTC+%d) [%s]', (date, event, hhmm, offsetH) => {
    const times = sunTimes(dayOf(date), PARIS.lat, PARIS.lon);
    const computed = times[event];
    expect(computed).toBeDefined();
    expect(Math.abs((computed as number) - parisTime(date, hhmm, offsetH))).toBeLessThanOrEqual(MINUTE);
  });
});

describe('solarPosition against IMCCE equinox and solstice instants', () => {
  // Instants computed by IMCCE (Observatoire de Paris) and quoted by the press:
  //  spring equinox 2024-03-20 "4 h 6 min 21 s en France" (europe1.fr, tf1info.fr) = 03:06:21 UTC;
  //  autumn equinox 2024-09-22 "12h43 et 36 secondes" (sortiraparis.com) and 2020-09-22 "13h30 et 38 secondes"
  //  (rtl.fr): both articles say "heure française" but the figures are the UTC ones (the same equinoxes were
  //  announced in the US as 8:44 EDT and 9:31 EDT), so they are used as UTC here;
  //  summer solstice 2021-06-21 "5h32 et 11 secondes" (rtl.fr) = 03:32:11 UTC;
  //  winter solstice 2019-12-22 "4H19 et 25 secondes" (lci.fr, UTC as above) = 04:19:25 UTC.
  // At an equinox the declination is 0; at a solstice it is ±ε (true obliquity ≈ 23.437° in 2019–2021).
  // Declination moves ≈ 0.39°/day near an equinox, so ±0.005° ≈ ±18 min on the instant.
  it.each<[string, number]>([
    ['2024-03-20T03:06:21Z', 0],
    ['2024-09-22T12:43:36Z', 0],
    ['2020-09-22T13:30:38Z', 0],
    ['2021-06-21T03:32:11Z', 23.437],
    ['2019-12-22T04:19:25Z', -23.437],
  ])('declination at %s is %d° (±0.005°)', (iso, decl) => {
    expect(solarPosition(Date.parse(iso), PARIS.lat, PARIS.lon).declinationDeg).toBeCloseTo(decl, 2);
  });

  it('puts the Sun due south at solar noon, at 90 − lat + decl elevation', () => {
    // 2021-06-21, noon elevation = 90 − 48.8566 + 23.437 = 64.58° (±0.05°), azimuth 180° (±0.05°)
    const noon = sunTimes({ year: 2021, month: 6, day: 21 }, PARIS.lat, PARIS.lon).solarNoon;
    const p = solarPosition(noon, PARIS.lat, PARIS.lon);
    expect(p.elevationDeg).toBeCloseTo(64.58, 1);
    expect(Math.abs(p.azimuthDeg - 180)).toBeLessThan(0.05);
    expect(p.apparentElevationDeg).toBeGreaterThan(p.elevationDeg);
  });

  it.each<[string, number, number]>([
    // morning sun is in the east (azimuth < 180), afternoon in the west (> 180)
    ['2025-03-20T08:00:00Z', 90, 180],
    ['2025-03-20T16:00:00Z', 180, 270],
  ])('at %s the azimuth lies in (%d, %d)', (iso, lo, hi) => {
    const az = solarPosition(Date.parse(iso), PARIS.lat, PARIS.lon).azimuthDeg;
    expect(az).toBeGreaterThan(lo);
    expect(az).toBeLessThan(hi);
  });
});

describe('sunTimes consistency', () => {
  it.each([
    ['2025-03-20', -0.833],
    ['2025-03-30', -0.833], // 23-hour DST day in Paris: the UTC maths are unaffected
    ['2025-06-21', -0.833],
    ['2025-10-26', -6], // 25-hour DST day
    ['2025-12-21', -6],
  ])('on %s the Sun is at %d° at the computed rise and set (±0.01°)', (date, alt) => {
    const t = sunTimes(dayOf(date), PARIS.lat, PARIS.lon, alt);
    for (const ts of [t.sunrise, t.sunset]) {
      expect(ts).toBeDefined();
      expect(solarPosition(ts as number, PARIS.lat, PARIS.lon).elevationDeg).toBeCloseTo(alt, 2);
    }
  });

  it('makes civil twilight bracket sunrise and sunset', () => {
    const day = { year: 2025, month: 3, day: 30 };
    const sun = sunTimes(day, PARIS.lat, PARIS.lon);
    const civil = civilTwilight(day, PARIS.lat, PARIS.lon);
    // at 48.9° N near the equinox civil twilight lasts ≈ 32–34 min
    const dawn = ((sun.sunrise as number) - (civil.sunrise as number)) / MINUTE;
    const dusk = ((civil.sunset as number) - (sun.sunset as number)) / MINUTE;
    expect(dawn).toBeGreaterThan(30);
    expect(dawn).toBeLessThan(36);
    expect(dusk).toBeGreaterThan(30);
    expect(dusk).toBeLessThan(36);
  });

  it.each<[string, number, number, 'day' | 'night']>([
    ['2025-06-21', 70, 20, 'day'], // Tromsø area: midnight sun
    ['2025-12-21', 70, 20, 'night'], // polar night
    ['2025-06-21', -70, 20, 'night'],
  ])('reports polar %s at lat %d as %s with no rise or set', (date, lat, lon, polar) => {
    const t = sunTimes(dayOf(date), lat, lon);
    expect(t.sunrise).toBeUndefined();
    expect(t.sunset).toBeUndefined();
    expect(t.polar).toBe(polar);
    expect(Number.isFinite(t.solarNoon)).toBe(true);
  });

  it('gives ≈ 4,288 night hours (sunset→sunrise) at 48.85° N in 2025, and ≈ 3,857 h dusk→dawn', () => {
    // Catalogue §4 "National reference figures": Paris 4,288 h (−0.833°) and 3,857 h (−6°) for 2025; ±10 h.
    let daylight = 0;
    let civilDaylight = 0;
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2026, 0, 1); t += 86_400_000) {
      const d = new Date(t);
      const day = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      const s = sunTimes(day, 48.85, 2.35);
      const c = civilTwilight(day, 48.85, 2.35);
      daylight += (s.sunset as number) - (s.sunrise as number);
      civilDaylight += (c.sunset as number) - (c.sunrise as number);
    }
    const hoursInYear = 365 * 24;
    expect(Math.abs(hoursInYear - daylight / 3_600_000 - 4288)).toBeLessThanOrEqual(10);
    expect(Math.abs(hoursInYear - civilDaylight / 3_600_000 - 3857)).toBeLessThanOrEqual(10);
  });
});

describe('cross-check with an independent algorithm (test-only)', () => {
  /**
   * USNO "Approximate Solar Coordinates" (aa.usno.navy.mil/faq/sun_approx): a different low-precision series,
   * ≈ 1′ accuracy within two centuries of 2000. Only here to catch a slip in the NOAA transcription.
   */
  function usno(ts: number): { declDeg: number; eqTimeMin: number } {
    const rad = Math.PI / 180;
    const d = ts / 86_400_000 + 2_440_587.5 - 2_451_545;
    const g = (357.529 + 0.98560028 * d) * rad;
    const q = 280.459 + 0.98564736 * d;
    const l = (q + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * rad;
    const e = (23.439 - 0.00000036 * d) * rad;
    const raDeg = Math.atan2(Math.cos(e) * Math.sin(l), Math.cos(l)) / rad;
    let eq = (q - raDeg) % 360; // degrees; reduce to (−180, 180]
    if (eq > 180) eq -= 360;
    if (eq <= -180) eq += 360;
    return { declDeg: Math.asin(Math.sin(e) * Math.sin(l)) / rad, eqTimeMin: eq * 4 };
  }

  it('agrees on declination (±0.01°) and equation of time (±0.1 min) every day of 2025 at 12:00Z', () => {
    let worstDecl = 0;
    let worstEq = 0;
    for (let ts = Date.UTC(2025, 0, 1, 12); ts < Date.UTC(2026, 0, 1); ts += 86_400_000) {
      const ours = solarPosition(ts, PARIS.lat, PARIS.lon);
      const ref = usno(ts);
      worstDecl = Math.max(worstDecl, Math.abs(ours.declinationDeg - ref.declDeg));
      worstEq = Math.max(worstEq, Math.abs(ours.equationOfTimeMin - ref.eqTimeMin));
    }
    expect(worstDecl).toBeLessThan(0.01); // measured 0.0032°
    expect(worstEq).toBeLessThan(0.1); // measured 0.045 min
  });
});
