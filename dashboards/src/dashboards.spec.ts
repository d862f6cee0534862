import { ALERT_MEASUREMENT as ALERTS_LIB_MEASUREMENT } from '@vigie/alerts';
import { DEVICE_LOCATION_MEASUREMENT } from '@vigie/contracts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  allPanelsOf,
  columnsUsedBy,
  GrafanaPanel,
  panelsOf,
  readCommittedDashboards,
  selectAliases,
} from './dashboard-model';
import { DASHBOARDS } from './dashboards';
import { VIGIE_DATASOURCE_UID } from './datasource';
import { generatedFiles } from './generate';
import { PUBLIC_ORG_ID, TECHNICIANS_ORG_ID } from './provisioning';
import { ALERT_MEASUREMENT } from './vigie-data';

/** The parts of a geomap panel's JSON the map checks read. */
type GeomapPanel = GrafanaPanel & {
  readonly fieldConfig?: { defaults?: { color?: { mode?: string } } };
  readonly options?: {
    basemap?: { type?: string };
    view?: { id?: string };
    layers?: {
      type?: string;
      location?: unknown;
      config?: { style?: { color?: { field?: string } } };
    }[];
  };
};

const ROOT = join(__dirname, '..');
const committed = readCommittedDashboards(ROOT);

describe('generated files', () => {
  it('are the committed ones: `npm run dashboards` leaves nothing to commit', () => {
    const files = generatedFiles();
    for (const [path, content] of files) {
      expect({ path, content: readFileSync(join(ROOT, path), 'utf8') }).toEqual({ path, content });
    }
    const jsonOnDisk = ['vigie', 'public'].flatMap((dir) =>
      readdirSync(join(ROOT, 'json', dir)).map((f) => `json/${dir}/${f}`),
    );
    expect(jsonOnDisk.sort()).toEqual([...files.keys()].filter((p) => p.startsWith('json/')).sort());
  });
});

describe('dashboard models', () => {
  it('one file per dashboard, named after its stable, unique `vigie-` uid, in its audience folder', () => {
    expect(committed.map((d) => d.path).sort()).toEqual(
      DASHBOARDS.map((d) => `json/${d.audience}/${d.uid}.json`).sort(),
    );
    const uids = committed.map((d) => d.model.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const d of committed) {
      expect(d.path).toBe(`json/${d.audience}/${d.model.uid}.json`);
      expect(d.model.uid).toMatch(/^vigie-[a-z-]{1,34}$/);
    }
    expect(uids.sort()).toEqual(
      [
        'vigie-alerts',
        'vigie-buildings',
        'vigie-device-health',
        'vigie-lighting',
        'vigie-public',
        'vigie-town-overview',
        'vigie-waste',
        'vigie-water',
      ].sort(),
    );
  });

  describe.each(committed.map((d) => [d.model.uid, d] as const))('%s', (_uid, d) => {
    const panels = panelsOf(d.model);

    it('has `templating` and `annotations` as { list: [...] }, and panels', () => {
      expect(Array.isArray(d.model.templating.list)).toBe(true);
      expect(Array.isArray(d.model.annotations.list)).toBe(true);
      expect(panels.length).toBeGreaterThan(3);
    });

    it('numbers its panels with unique positive ids', () => {
      const ids = allPanelsOf(d.model).map((p) => p.id);
      expect(ids.every((id) => Number.isInteger(id) && (id as number) > 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('lays its panels out within 24 columns, none overlapping', () => {
      const boxes = allPanelsOf(d.model).map((p) => ({
        title: p.title,
        ...{ x: -1, y: -1, w: 0, h: 0, ...p.gridPos },
      }));
      for (const b of boxes)
        expect(b.x >= 0 && b.y >= 0 && b.w >= 1 && b.h >= 1 && b.x + b.w <= 24).toBe(true);
      const overlaps = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
          .map((b) => `${a.title} / ${b.title}`),
      );
      expect(overlaps).toEqual([]);
    });

    it('gives every panel a unit, decimals and threshold colours', () => {
      for (const p of panels) {
        const defaults = p.fieldConfig?.defaults;
        expect({ title: p.title, unit: typeof defaults?.unit === 'string' && defaults.unit !== '' }).toEqual({
          title: p.title,
          unit: true,
        });
        expect(Number.isInteger(defaults?.decimals)).toBe(true);
        expect(defaults?.thresholds?.steps?.length).toBeGreaterThan(0);
      }
    });

    it('points every data source reference at the provisioned InfluxDB data source', () => {
      const refs = [
        ...panels.flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]),
        ...d.model.templating.list.map((v) => v.datasource),
        ...d.model.annotations.list.flatMap((a) => [a.datasource, a.target?.datasource]),
      ];
      expect(refs.length).toBeGreaterThan(panels.length);
      for (const ref of refs) expect(ref).toEqual({ type: 'influxdb', uid: VIGIE_DATASOURCE_UID });
      const orgId = d.audience === 'public' ? PUBLIC_ORG_ID : TECHNICIANS_ORG_ID;
      const provisioned = (
        parse(readFileSync(join(ROOT, 'provisioning/datasources/vigie.yaml'), 'utf8')) as {
          datasources: { uid: string; orgId: number; type: string }[];
        }
      ).datasources;
      expect(provisioned).toContainEqual(
        expect.objectContaining({ uid: VIGIE_DATASOURCE_UID, orgId, type: 'influxdb' }),
      );
    });

    it('runs raw InfluxQL scoped to the selected tenant in every target and variable, with a time filter', () => {
      for (const p of panels) {
        expect(p.targets?.length).toBeGreaterThan(0);
        for (const t of p.targets ?? []) {
          expect(t.rawQuery).toBe(true);
          expect(t.query).toContain(`"tenant" = '$tenant'`);
          // Positions are a state (the last one known holds whatever the range): their query alone has no filter.
          const positions = t.query?.includes(`FROM "${DEVICE_LOCATION_MEASUREMENT}"`) ?? false;
          expect({ query: t.query, timeFilter: t.query?.includes('$timeFilter') }).toEqual({
            query: t.query,
            timeFilter: !positions,
          });
          expect(['time_series', 'table']).toContain(t.resultFormat);
        }
        // A column the panel styles must be named by its queries (aliases, tags or fields).
        for (const c of columnsUsedBy(p))
          expect({
            panel: p.title,
            column: c,
            named: (p.targets ?? []).some((t) => t.query?.includes(`"${c}"`)),
          }).toEqual({
            panel: p.title,
            column: c,
            named: true,
          });
      }
      const [tenant, ...others] = d.model.templating.list;
      expect(tenant).toMatchObject({
        name: 'tenant',
        type: 'query',
        query: 'SHOW TAG VALUES FROM "kpi" WITH KEY = "tenant"',
      });
      for (const v of others) expect(v.query).toContain(`WHERE "tenant" = '$tenant'`);
    });

    if (d.audience === 'public') {
      it('shows the citizens aggregated KPIs only: no device, site, subject, alert or raw reading', () => {
        expect(d.model.annotations.list).toEqual([]);
        expect(d.model.templating.list.map((v) => v.name)).toEqual(['tenant']);
        for (const t of panels.flatMap((p) => p.targets ?? [])) {
          expect(t.query).toMatch(/ FROM "kpi" /);
          expect(t.query).not.toMatch(/"(device|site|subject)"|\$tag_|FROM "(alert|rejected)"/);
        }
      });
    } else {
      it('overlays the tenant’s alert events as annotations', () => {
        const [alerts] = d.model.annotations.list;
        expect(alerts.name).toBe('Alerts');
        expect(alerts.target?.query).toContain(`FROM "${ALERT_MEASUREMENT}" WHERE "tenant" = '$tenant'`);
        expect(alerts.target?.query).toContain('$timeFilter');
      });
    }
  });

  describe.each([
    ['vigie-waste', 'bin-sensor', ['fill']],
    ['vigie-lighting', 'light-controller', ['lit', 'failed']],
  ])('%s map', (uid, kind, colours) => {
    const model = committed.find((d) => d.model.uid === uid)?.model;
    const maps = model ? panelsOf(model).filter((p) => p.type === 'geomap') : [];
    const map = maps[0] as GeomapPanel | undefined;
    const targets = map?.targets ?? [];

    it('is one geomap: a position target and a value target, table-format, joined on the device tag', () => {
      expect(maps).toHaveLength(1);
      expect(targets.map((t) => t.resultFormat)).toEqual(['table', 'table']);
      const [positions, values] = targets;
      expect(positions.query).toContain(`FROM "${DEVICE_LOCATION_MEASUREMENT}" WHERE "tenant" = '$tenant'`);
      expect(positions.query).toContain(`"kind" = '${kind}'`);
      expect(selectAliases(String(positions.query))).toEqual(['lat', 'lon']);
      for (const t of targets) expect(t.query).toMatch(/ GROUP BY "device"$/);
      expect(map?.transformations).toEqual([
        { id: 'joinByField', options: { byField: 'device', mode: 'inner' } },
      ]);
      expect(selectAliases(String(values.query))).toEqual(colours);
    });

    it('places markers at lat/lon, coloured by columns its value target returns, over a basemap that fits them', () => {
      const { layers, basemap, view } = map?.options ?? {};
      expect(basemap?.type).toBe('default');
      expect(view?.id).toBe('fit');
      expect(layers?.map((l) => l.config?.style?.color?.field)).toEqual(colours);
      for (const l of layers ?? []) {
        expect(l.type).toBe('markers');
        expect(l.location).toEqual({ mode: 'coords', latitude: 'lat', longitude: 'lon' });
      }
      expect(map?.fieldConfig?.defaults?.color?.mode).toBe('thresholds');
    });
  });

  it('queries the alert measurement the alert service writes', () => {
    expect(ALERT_MEASUREMENT).toBe(ALERTS_LIB_MEASUREMENT);
  });
});

describe('provisioning', () => {
  const yaml = (path: string) =>
    parse(readFileSync(join(ROOT, 'provisioning', path), 'utf8')) as Record<string, unknown>;

  it('provisions the InfluxQL data source from the environment in both organisations, read-only user', () => {
    const { datasources } = yaml('datasources/vigie.yaml') as { datasources: Record<string, unknown>[] };
    expect(datasources.map((d) => d['orgId'])).toEqual([TECHNICIANS_ORG_ID, PUBLIC_ORG_ID]);
    for (const d of datasources) {
      expect(d).toMatchObject({
        uid: VIGIE_DATASOURCE_UID,
        type: 'influxdb',
        url: '$INFLUX_URL',
        database: '$INFLUX_DB',
        user: '$INFLUX_READ_USER',
        jsonData: { version: 'InfluxQL', dbName: '$INFLUX_DB' },
        secureJsonData: { password: '$INFLUX_READ_PASSWORD' },
      });
    }
  });

  it('loads the technicians’ dashboards into folder Vigie of org 1 and the citizens’ into org 2', () => {
    const { providers } = yaml('dashboards/vigie.yaml') as { providers: Record<string, unknown>[] };
    expect(providers).toEqual([
      expect.objectContaining({
        orgId: TECHNICIANS_ORG_ID,
        folder: 'Vigie',
        type: 'file',
        options: expect.objectContaining({ path: '/var/lib/grafana/dashboards/vigie' }),
      }),
      expect.objectContaining({
        orgId: PUBLIC_ORG_ID,
        type: 'file',
        options: expect.objectContaining({ path: '/var/lib/grafana/dashboards/public' }),
      }),
    ]);
  });
});
