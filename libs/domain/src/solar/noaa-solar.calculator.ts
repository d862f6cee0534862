/**
 * NOAA solar equations (Jean Meeus, "Astronomical Algorithms"), as in the NOAA Solar Calculator spreadsheet
 * (NOAA_Solar_Calculations_day.xls) and its web page (gml.noaa.gov/grad/solcalc). Used by L5 (lit in daylight),
 * L1 reference burning hours and the town simulator. Pure arithmetic: no I/O, no time-zone data.
 *
 * Accuracy: the NOAA page states ±1 min for sunrise/sunset between ±72° latitude (actual times vary with the
 * atmosphere). Times are UT (ΔT ignored, as NOAA does).
 */

// Module-scope aliases: inside Jest's VM contexts every global look-up (`Math`) goes through a slow interceptor,
// and the town simulator calls solarPosition millions of times in tests.
const { sin, cos, tan, asin, acos, abs, round, PI } = Math;
const DEG = PI / 180;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Julian day of the Unix epoch (1970-01-01T00:00Z). */
const JD_UNIX_EPOCH = 2_440_587.5;
const JD_J2000 = 2_451_545;

/** Sun's centre altitude for sunrise/sunset: refraction 34′ + solar radius 16′ below the horizon. */
export const SUNRISE_ALTITUDE_DEG = -0.833;
/** Civil twilight: Sun's centre 6° below the horizon. */
export const CIVIL_TWILIGHT_ALTITUDE_DEG = -6;

export interface SolarPosition {
  /** Geometric elevation of the Sun's centre above the horizon, degrees (no refraction; same convention as sunTimes altitudes). */
  readonly elevationDeg: number;
  /** Elevation corrected for atmospheric refraction (NOAA's approximation), degrees: what an observer sees. */
  readonly apparentElevationDeg: number;
  /** Azimuth, degrees clockwise from true north (0..360). */
  readonly azimuthDeg: number;
  /** Declination of the Sun, degrees. */
  readonly declinationDeg: number;
  /** Equation of time, minutes (apparent − mean solar time). */
  readonly equationOfTimeMin: number;
}

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface SunTimes {
  /** Epoch ms (UTC) when the Sun's centre rises through the altitude; undefined in polar day or night. */
  readonly sunrise?: number;
  /** Epoch ms (UTC) when the Sun's centre sets through the altitude; undefined in polar day or night. */
  readonly sunset?: number;
  /** Epoch ms (UTC) of the Sun's transit (highest point). */
  readonly solarNoon: number;
  /** Set when the Sun never crosses the altitude that day: 'day' = always above, 'night' = always below. */
  readonly polar?: 'day' | 'night';
}

interface SunCoordinates {
  /** Declination, radians. */
  readonly decl: number;
  /** Equation of time, minutes. */
  readonly eqTime: number;
}

function julianCentury(ts: number): number {
  return (ts / DAY_MS + JD_UNIX_EPOCH - JD_J2000) / 36_525;
}

/** Declination and equation of time at a Julian century (spreadsheet columns G…V). */
function sunCoordinates(t: number): SunCoordinates {
  const l0 = (280.46646 + t * (36_000.76983 + t * 0.0003032)) % 360; // geometric mean longitude, deg
  const m = 357.52911 + t * (35_999.05029 - 0.0001537 * t); // geometric mean anomaly, deg
  const e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t); // eccentricity of Earth's orbit
  const mRad = m * DEG;
  const center =
    sin(mRad) * (1.914602 - t * (0.004817 + 0.000014 * t)) +
    sin(2 * mRad) * (0.019993 - 0.000101 * t) +
    sin(3 * mRad) * 0.000289;
  const trueLong = l0 + center;
  const omega = (125.04 - 1934.136 * t) * DEG;
  const appLong = trueLong - 0.00569 - 0.00478 * sin(omega);
  const meanObliq = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60;
  const obliq = (meanObliq + 0.00256 * cos(omega)) * DEG;
  const decl = asin(sin(obliq) * sin(appLong * DEG));
  const y = tan(obliq / 2) ** 2;
  const l0Rad = l0 * DEG;
  const eqTime =
    (4 / DEG) *
    (y * sin(2 * l0Rad) -
      2 * e * sin(mRad) +
      4 * e * y * sin(mRad) * cos(2 * l0Rad) -
      0.5 * y * y * sin(4 * l0Rad) -
      1.25 * e * e * sin(2 * mRad));
  return { decl, eqTime };
}

/** NOAA's approximate atmospheric refraction (degrees) for a geometric elevation (degrees). */
function refractionDeg(elevationDeg: number): number {
  if (elevationDeg > 85) return 0;
  const te = tan(elevationDeg * DEG);
  let arcsec: number;
  if (elevationDeg > 5) arcsec = 58.1 / te - 0.07 / te ** 3 + 0.000086 / te ** 5;
  else if (elevationDeg > -0.575)
    arcsec =
      1735 +
      elevationDeg * (-518.2 + elevationDeg * (103.4 + elevationDeg * (-12.79 + elevationDeg * 0.711)));
  else arcsec = -20.772 / te;
  return arcsec / 3600;
}

/**
 * Position of the Sun seen from (lat, lon) at an instant.
 * @param ts epoch ms (UTC)
 * @param lat latitude, degrees north
 * @param lon longitude, degrees east
 */
export function solarPosition(ts: number, lat: number, lon: number): SolarPosition {
  const { decl, eqTime } = sunCoordinates(julianCentury(ts));
  const minutesOfDay = (((ts % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS;
  const trueSolarTime = (((minutesOfDay + eqTime + 4 * lon) % 1440) + 1440) % 1440;
  const hourAngle = trueSolarTime / 4 - 180;
  const latRad = lat * DEG;
  const haRad = hourAngle * DEG;
  const cosZenith = clamp(sin(latRad) * sin(decl) + cos(latRad) * cos(decl) * cos(haRad), -1, 1);
  const zenith = acos(cosZenith);
  const elevationDeg = 90 - zenith / DEG;
  const denom = cos(latRad) * sin(zenith);
  let azimuthDeg: number;
  if (abs(denom) < 1e-12) {
    // Sun at the zenith or observer at a pole: azimuth is undefined; north pole looks south, south pole north.
    azimuthDeg = lat > 0 ? 180 : 0;
  } else {
    const a = acos(clamp((sin(latRad) * cosZenith - sin(decl)) / denom, -1, 1)) / DEG;
    azimuthDeg = hourAngle > 0 ? (a + 180) % 360 : (540 - a) % 360;
  }
  return {
    elevationDeg,
    apparentElevationDeg: elevationDeg + refractionDeg(elevationDeg),
    azimuthDeg,
    declinationDeg: decl / DEG,
    equationOfTimeMin: eqTime,
  };
}

/** Minutes after 00:00 UTC of `dayStart` of the transit at longitude lon, iterated on the transit instant. */
function transitMinutes(dayStart: number, lon: number): number {
  let minutes = 720 - 4 * lon;
  for (let i = 0; i < 2; i++) {
    const { eqTime } = sunCoordinates(julianCentury(dayStart + minutes * MINUTE_MS));
    minutes = 720 - 4 * lon - eqTime;
  }
  return minutes;
}

/** Hour angle (degrees) at which the Sun's centre is at `altitudeDeg`, or which polar case prevents it. */
function hourAngleDeg(lat: number, decl: number, altitudeDeg: number): number | 'day' | 'night' {
  const latRad = lat * DEG;
  const cosH = (sin(altitudeDeg * DEG) - sin(latRad) * sin(decl)) / (cos(latRad) * cos(decl));
  if (cosH > 1) return 'night';
  if (cosH < -1) return 'day';
  return acos(cosH) / DEG;
}

/** Minutes after 00:00 UTC of the rising (sign −1) or setting (sign +1), iterated at the event's own instant. */
function eventMinutes(
  dayStart: number,
  lat: number,
  lon: number,
  altitudeDeg: number,
  sign: 1 | -1,
  noon: number,
): number | 'day' | 'night' {
  let minutes = noon;
  for (let i = 0; i < 3; i++) {
    const { decl, eqTime } = sunCoordinates(julianCentury(dayStart + minutes * MINUTE_MS));
    const ha = hourAngleDeg(lat, decl, altitudeDeg);
    if (typeof ha !== 'number') return ha;
    minutes = 720 - 4 * (lon - sign * ha) - eqTime;
  }
  return minutes;
}

/**
 * Sunrise, sunset and solar noon of a calendar day at (lat, lon), as the NOAA calculator gives them.
 * The day is the observer's date: events are those around the local solar noon of that date.
 * @param altitudeDeg altitude of the Sun's centre: −0.833 sunrise/sunset (default), −6 civil, −12 nautical, −18 astronomical.
 */
export function sunTimes(
  day: CalendarDate,
  lat: number,
  lon: number,
  altitudeDeg = SUNRISE_ALTITUDE_DEG,
): SunTimes {
  const dayStart = Date.UTC(day.year, day.month - 1, day.day);
  const noon = transitMinutes(dayStart, lon);
  const solarNoon = dayStart + round(noon * MINUTE_MS);
  const rise = eventMinutes(dayStart, lat, lon, altitudeDeg, -1, noon);
  const set = eventMinutes(dayStart, lat, lon, altitudeDeg, 1, noon);
  if (typeof rise !== 'number' || typeof set !== 'number') {
    const polar = typeof rise === 'string' ? rise : (set as 'day' | 'night');
    return { solarNoon, polar };
  }
  return {
    sunrise: dayStart + round(rise * MINUTE_MS),
    sunset: dayStart + round(set * MINUTE_MS),
    solarNoon,
  };
}

/** Civil dawn (`sunrise`) and dusk (`sunset`): the Sun's centre at −6°. */
export function civilTwilight(day: CalendarDate, lat: number, lon: number): SunTimes {
  return sunTimes(day, lat, lon, CIVIL_TWILIGHT_ALTITUDE_DEG);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
