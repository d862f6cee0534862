/**
 * Device positions in InfluxDB, for the dashboards' maps (Grafana's geomap panel can only place what a query
 * returns). The registry holds the positions; the KPI engine copies them at every run of the tenant into one point
 * per located device (libs/kpi `DeviceLocationsWriter`).
 */

/** InfluxDB measurement of the devices' positions. */
export const DEVICE_LOCATION_MEASUREMENT = 'device_location';

/** Tag keys of a position point (the device's registry identity). */
export const DEVICE_LOCATION_TAGS = {
  tenant: 'tenant',
  site: 'site',
  device: 'device',
  kind: 'kind',
} as const;

/** Field keys of a position point: WGS84 decimal degrees, floats forever. */
export const DEVICE_LOCATION_FIELDS = { lat: 'lat', lon: 'lon' } as const;
