import { NewDevice } from '@vigie/adapters';
import { GeoLocation, parseLocation } from '@vigie/domain';

export const DEVICES_CSV_COLUMNS = [
  'tenant',
  'id',
  'kind',
  'site',
  'interval_s',
  'dev_eui',
  'lat',
  'lon',
] as const;

/** One device line of an import file, with its line number (1 = the header). */
export interface DevicesCsvRow {
  readonly line: number;
  readonly device: NewDevice;
}

/**
 * Parses a devices import file: a header naming at least tenant,id,kind, then one device per line (blank lines and
 * `#` comments skipped). Problems name their line; the rows are those that parsed.
 */
export function parseDevicesCsv(text: string): { rows: DevicesCsvRow[]; errors: string[] } {
  const lines = text.split(/\r?\n/);
  const errors: string[] = [];
  const rows: DevicesCsvRow[] = [];
  const allowed: readonly string[] = DEVICES_CSV_COLUMNS;
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  for (const required of ['tenant', 'id', 'kind']) {
    if (!header.includes(required))
      errors.push(
        `line 1: the header must name the columns ${DEVICES_CSV_COLUMNS.join(',')} (missing '${required}')`,
      );
  }
  const unknown = header.filter((h) => h && !allowed.includes(h));
  if (unknown.length)
    errors.push(
      `line 1: unknown column(s) ${unknown.join(', ')}; allowed: ${DEVICES_CSV_COLUMNS.join(', ')}`,
    );
  if (errors.length) return { rows, errors };
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw || raw.startsWith('#')) continue;
    const cells = raw.split(',').map((c) => c.trim());
    if (cells.length !== header.length) {
      errors.push(`line ${i + 1}: expected ${header.length} fields, found ${cells.length}`);
      continue;
    }
    const get = (name: string) => {
      const idx = header.indexOf(name);
      return idx >= 0 && cells[idx] !== '' ? cells[idx] : undefined;
    };
    const interval = get('interval_s');
    if (interval !== undefined && !/^\d+$/.test(interval)) {
      errors.push(
        `line ${i + 1}: interval_s must be a whole number of seconds, got '${interval.slice(0, 40)}'`,
      );
      continue;
    }
    const lat = get('lat');
    const lon = get('lon');
    let location: GeoLocation | undefined;
    if (lat !== undefined || lon !== undefined) {
      const parsed = parseLocation(`${lat ?? ''},${lon ?? ''}`);
      if ('problem' in parsed) {
        errors.push(
          `line ${i + 1}: ${lat === undefined || lon === undefined ? 'give both lat and lon' : parsed.problem}`,
        );
        continue;
      }
      location = parsed.location;
    }
    rows.push({
      line: i + 1,
      device: {
        tenant: get('tenant') ?? '',
        id: get('id') ?? '',
        kind: get('kind') ?? '',
        site: get('site'),
        intervalS: interval === undefined ? undefined : Number(interval),
        devEui: get('dev_eui'),
        ...(location ? { location } : {}),
      },
    });
  }
  if (rows.length === 0 && errors.length === 0) errors.push('the file has no device lines');
  return { rows, errors };
}
