import type { KpiOutputSpec } from './kpi-catalogue';

/** Street lighting (catalogue §4): output ids (the `kpi` tag) and their specs. Merged into KPI_IDS and KPI_OUTPUTS. */
export const LIGHTING_KPI_IDS = {
  L1_BURNING_HOURS: 'L1.burning_hours',
  L5_MINUTES_LIT_IN_DAYLIGHT: 'L5.minutes_lit_in_daylight',
  L7_SWITCH_OFF_ON_MINUTES: 'L7.switch_off_on_minutes',
  L7_SWITCH_OFF_COMPLIANCE: 'L7.switch_off_compliance',
} as const;

export const LIGHTING_KPI_OUTPUTS: readonly KpiOutputSpec[] = [
  {
    id: LIGHTING_KPI_IDS.L1_BURNING_HOURS,
    family: 'L1',
    unit: 'h',
    window: 'night',
    subject: 'light point device',
    formula:
      'Σ durations with `lamp_on` true, sample-and-hold, gaps longer than 2 × reporting interval not bridged; night = 12:00 local on D → 12:00 on D + 1',
    inputs: '`light-controller` devices, field `lamp_on`',
    completeness: 'samples in the night / (night length / reporting interval)',
  },
  {
    id: LIGHTING_KPI_IDS.L5_MINUTES_LIT_IN_DAYLIGHT,
    family: 'L5',
    unit: 'min',
    window: 'day',
    subject: 'light point device',
    formula:
      'minutes with `lamp_on` true inside [sunrise + 15 min, sunset − 15 min] of the local day (NOAA sun, −0.833°; polar day: the whole day, polar night: none), sample-and-hold, gaps longer than 2 × reporting interval not bridged',
    inputs:
      '`light-controller` devices, field `lamp_on`; position = `lat`/`lon` attributes of the device’s site, else of the first tenant site (by id) that has them',
    completeness: 'samples in the day / (day length / reporting interval)',
  },
  {
    id: LIGHTING_KPI_IDS.L7_SWITCH_OFF_ON_MINUTES,
    family: 'L7',
    unit: 'min',
    window: 'night',
    subject: 'light point device',
    formula:
      'minutes with `lamp_on` true inside the site’s switch-off window of the night (e.g. 23:00–05:00 local, real length on DST nights), sample-and-hold, gaps longer than 2 × reporting interval not bridged',
    inputs:
      '`light-controller` devices, field `lamp_on`; site attribute `switch_off` = `HH:MM-HH:MM` local (lights of a site without it are skipped)',
    completeness: 'minutes of the window with a known state / window minutes',
  },
  {
    id: LIGHTING_KPI_IDS.L7_SWITCH_OFF_COMPLIANCE,
    family: 'L7',
    unit: 'fraction (0–1)',
    window: 'night',
    subject: 'light point device',
    formula: '1 − ON minutes in the switch-off window / window minutes (unknown minutes count as compliant)',
    inputs:
      '`light-controller` devices, field `lamp_on`; site attribute `switch_off` = `HH:MM-HH:MM` local (lights of a site without it are skipped)',
    completeness: 'minutes of the window with a known state / window minutes',
  },
];
