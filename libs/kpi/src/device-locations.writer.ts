import { InfluxClient, InfluxPoint } from '@vigie/adapters';
import { DEVICE_LOCATION_FIELDS, DEVICE_LOCATION_MEASUREMENT, DEVICE_LOCATION_TAGS } from '@vigie/contracts';
import { KpiDevice } from './kpi-engine.types';

const DAY_MS = 86_400_000;

/**
 * The time of the position points written at `now`: the start of its UTC day. Every run of a day writes the same
 * series at the same time, so a rerun overwrites (InfluxDB keeps one point per series and time) and a device moved
 * in the registry shows at its new place after the next run; a day keeps one point per device, the last one.
 */
export function locationPointTime(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

/** The position points of the tenant's located devices (devices without a position have none). */
export function deviceLocationPoints(
  tenant: string,
  devices: readonly KpiDevice[],
  ts: number,
): InfluxPoint[] {
  return devices.flatMap((d) =>
    d.location
      ? [
          {
            measurement: DEVICE_LOCATION_MEASUREMENT,
            tags: {
              [DEVICE_LOCATION_TAGS.tenant]: tenant,
              [DEVICE_LOCATION_TAGS.site]: d.site ?? '',
              [DEVICE_LOCATION_TAGS.device]: d.id,
              [DEVICE_LOCATION_TAGS.kind]: d.kind,
            },
            fields: {
              [DEVICE_LOCATION_FIELDS.lat]: d.location.lat,
              [DEVICE_LOCATION_FIELDS.lon]: d.location.lon,
            },
            ts,
          },
        ]
      : [],
  );
}

/**
 * Copies the registry's device positions into InfluxDB (measurement `device_location`, tags tenant, site, device,
 * kind; float fields lat, lon), because Grafana's geomap panel can only place what an InfluxDB query returns.
 *
 * Why at each KPI run: the run already reads the tenant's devices from the registry and writes to InfluxDB, on a
 * schedule, per tenant; no other service has to learn about positions, and the dashboards get the registry's
 * positions at most one run late. Why one point per device and UTC day (`locationPointTime`): it is idempotent (a
 * rerun overwrites), it needs no DELETE (see `KpiPointsWriter` for why DELETEs are avoided on InfluxDB 1.x), and a
 * query's `last(lat), last(lon) … GROUP BY "device"` gives the newest position. A device removed from the registry
 * or stripped of its position keeps its last stored point; the dashboards join positions with recent readings, so it
 * leaves the map once it stops reporting.
 */
export class DeviceLocationsWriter {
  constructor(
    private readonly influx: InfluxClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes one point per located device; returns how many were written. */
  async write(tenant: string, devices: readonly KpiDevice[]): Promise<number> {
    const points = deviceLocationPoints(tenant, devices, locationPointTime(this.now()));
    if (points.length > 0) await this.influx.writePoints(points);
    return points.length;
  }
}
