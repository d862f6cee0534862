import { DeviceKind } from '@vigie/domain';
import { BATTERY_PCT, LORAWAN_LINK_METRIC_SPECS, SENML } from '../src/units';

/** Fill-level sensor of a waste container (ultrasonic or radar, top mounted). */
export const BIN_SENSOR: DeviceKind = {
  id: 'bin-sensor',
  measurement: 'bin_sensor',
  description: 'Waste container fill-level sensor',
  reportingIntervalS: 3600,
  metrics: {
    fill_pct: {
      unit: '%',
      type: 'number',
      min: 0,
      max: 120,
      senmlUnits: SENML.pct,
      description: 'Fill level (100 = full line; above means overflowing)',
    },
    temperature_c: {
      unit: '°C',
      type: 'number',
      min: -40,
      max: 200,
      senmlUnits: SENML.celsius,
      description: 'Temperature inside the container',
    },
    battery_pct: BATTERY_PCT,
    ...LORAWAN_LINK_METRIC_SPECS,
  },
  lorawan: {
    fields: {
      fillingLevel: { metric: 'fill_pct', scale: 100 },
      temperature: { metric: 'temperature_c' },
      batteryLevel: { metric: 'battery_pct' },
    },
  },
  smartDataModel: {
    entityType: 'WasteContainer',
    dataModel: 'dataModel.WasteManagement',
    attributes: {
      fill_pct: { attribute: 'fillingLevel', scale: 0.01, unit: 'fraction (1.0 = full)' },
      temperature_c: { attribute: 'temperature', unit: 'CEL' },
    },
  },
};
