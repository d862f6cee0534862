import { DeviceKind } from '@vigie/domain';
import { BIN_SENSOR } from '../bin-sensor/bin-sensor.profile';
import { CABINET_METER } from '../cabinet-meter/cabinet-meter.profile';
import { ENERGY_METER } from '../energy-meter/energy-meter.profile';
import { IRRIGATION_CONTROLLER } from '../irrigation-controller/irrigation-controller.profile';
import { LIGHT_CONTROLLER } from '../light-controller/light-controller.profile';
import { RAIN_GAUGE } from '../rain-gauge/rain-gauge.profile';
import { WATER_METER } from '../water-meter/water-meter.profile';
import { WEATHER_STATION } from '../weather-station/weather-station.profile';

/** Every device kind Vigie knows. Kind ids, metric names and units are the public data contract. */
export const DEVICE_KINDS: readonly DeviceKind[] = [
  ENERGY_METER,
  WEATHER_STATION,
  WATER_METER,
  IRRIGATION_CONTROLLER,
  BIN_SENSOR,
  LIGHT_CONTROLLER,
  CABINET_METER,
  RAIN_GAUGE,
];

const byId = new Map(DEVICE_KINDS.map((kind) => [kind.id, kind]));

export function findDeviceKind(id: string): DeviceKind | undefined {
  return byId.get(id);
}

export const DEVICE_KIND_IDS: readonly string[] = DEVICE_KINDS.map((kind) => kind.id);

/** Every value a site's `role` attribute may take: the roles the kinds declare (water meters' WATER_SITE_ROLES). */
export const SITE_ROLES: readonly string[] = [
  ...new Set(DEVICE_KINDS.flatMap((kind) => kind.siteRoles ?? [])),
];

/** Why a site's `role` attribute is not accepted, or undefined when it is. */
export function siteRoleProblem(role: string): string | undefined {
  if (SITE_ROLES.includes(role)) return undefined;
  return `site role '${role}' is not one the device kinds know; accepted: ${SITE_ROLES.join(', ')}`;
}
