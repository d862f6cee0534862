import { hashString, noiseUniform } from './prng';

/** Math, bound once (see prng.ts). */
const M = Math;

const METRES_PER_DEG_LAT = 111_320;

/** How far from the town centre the simulator puts the sites with no position of their own (buildings, meters). */
export const TOWN_RADIUS_M = 500;
/** How far from the town centre a bin district's centre lies, and its bins from that centre. */
export const BIN_DISTRICT_RADIUS_M = 400;
export const BIN_SPREAD_M = 120;

/**
 * A point within `spreadM` metres (north-south and east-west) of `centre`, a function of `key` only: the same
 * scenario ids give the same positions whatever the seed. Rounded to 6 decimals (≈ 0.1 m).
 */
export function scatterAround(
  centre: { readonly lat: number; readonly lon: number },
  spreadM: number,
  key: number,
): { lat: number; lon: number } {
  const spreadDeg = spreadM / METRES_PER_DEG_LAT;
  return {
    lat: round6(centre.lat + spreadDeg * (2 * noiseUniform(key, 1) - 1)),
    lon: round6(centre.lon + (spreadDeg * (2 * noiseUniform(key, 2) - 1)) / M.cos((centre.lat * M.PI) / 180)),
  };
}

/** Where a site with no position of its own stands: within TOWN_RADIUS_M of the town centre. */
export function sitePosition(
  town: { readonly lat: number; readonly lon: number },
  siteId: string,
): { lat: number; lon: number } {
  return scatterAround(town, TOWN_RADIUS_M, hashString(`site-position/${siteId}`));
}

/** Where a bin stands: around its district's centre, itself within BIN_DISTRICT_RADIUS_M of the town centre. */
export function binPosition(
  town: { readonly lat: number; readonly lon: number },
  district: string,
  id: string,
): { lat: number; lon: number } {
  const centre = scatterAround(town, BIN_DISTRICT_RADIUS_M, hashString(`bin-district-position/${district}`));
  return scatterAround(centre, BIN_SPREAD_M, hashString(`bin-position/${id}`));
}

/** Distance in metres between two positions (equirectangular: exact enough within a town). */
export function distanceM(
  a: { readonly lat: number; readonly lon: number },
  b: { readonly lat: number; readonly lon: number },
): number {
  const dLat = (b.lat - a.lat) * METRES_PER_DEG_LAT;
  const dLon = (b.lon - a.lon) * METRES_PER_DEG_LAT * M.cos((((a.lat + b.lat) / 2) * M.PI) / 180);
  return M.sqrt(dLat * dLat + dLon * dLon);
}

function round6(x: number): number {
  return M.round(x * 1e6) / 1e6;
}
