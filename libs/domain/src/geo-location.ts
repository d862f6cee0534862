/** A position on the Earth, WGS84 degrees (the order of ISO 6709 and of GPS receivers: latitude first). */
export interface GeoLocation {
  readonly lat: number;
  readonly lon: number;
}

/**
 * Why a latitude/longitude pair is not a position, or undefined: both must be finite numbers, the latitude in
 * [-90, 90] and the longitude in [-180, 180]. The message names the field at fault.
 */
export function locationProblem(lat: number, lon: number): string | undefined {
  const problems: string[] = [];
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90)
    problems.push(`latitude (lat) must be a number of degrees in [-90, 90], got ${String(lat).slice(0, 32)}`);
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180)
    problems.push(
      `longitude (lon) must be a number of degrees in [-180, 180], got ${String(lon).slice(0, 32)}`,
    );
  return problems.length ? problems.join('; ') : undefined;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Reads the text form of a position, `"<lat>,<lon>"` in decimal degrees (`"45.92,6.87"`, spaces allowed around
 * each number), as the CLI and CSV files take it. Returns the position, or the reason it is not one.
 */
export function parseLocation(
  text: string,
): { readonly location: GeoLocation } | { readonly problem: string } {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 2 || !parts.every((p) => DECIMAL.test(p))) {
    return {
      problem: `location '${text.slice(0, 64)}' must be '<lat>,<lon>' in decimal degrees, e.g. 45.92,6.87`,
    };
  }
  const [lat, lon] = parts.map(Number);
  const problem = locationProblem(lat, lon);
  return problem ? { problem: `location '${text.slice(0, 64)}': ${problem}` } : { location: { lat, lon } };
}

/** The text form `parseLocation` reads back. */
export function formatLocation(location: GeoLocation): string {
  return `${location.lat},${location.lon}`;
}
