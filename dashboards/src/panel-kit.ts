import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as geomap from '@grafana/grafana-foundation-sdk/geomap';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { VIGIE_DATASOURCE } from './datasource';
import { InfluxQueryBuilder } from './influxql-query.builder';

/** Where a panel sits: x, y, width (of 24 columns) and height (grid rows). */
export type Place = readonly [x: number, y: number, w: number, h: number];

/** Colour steps: the base colour, then [from value, colour] in increasing order. */
export type Steps = readonly [base: string, ...steps: (readonly [number, string])[]];

/** What every Vigie panel states: title, place, unit, decimals, colour thresholds and its InfluxQL targets. */
export interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  readonly place: Place;
  readonly unit: string;
  readonly decimals: number;
  readonly steps: Steps;
  readonly targets: readonly InfluxQueryBuilder[];
  /** Relative time of the panel (`1y`, `90d`) instead of the dashboard's, for KPIs of long windows. */
  readonly timeFrom?: string;
  readonly min?: number;
  readonly max?: number;
  readonly mappings?: dashboard.ValueMapping[];
}

/** Traffic-light steps used throughout: higher is better (`good` from `ok` upwards) or lower is better. */
export const higherIsBetter = (warn: number, ok: number): Steps => ['red', [warn, 'orange'], [ok, 'green']];
export const lowerIsBetter = (warn: number, bad: number): Steps => ['green', [warn, 'orange'], [bad, 'red']];
/** A neutral colour for quantities with no target (consumption, costs). */
export const neutral: Steps = ['blue'];

const thresholds = (steps: Steps) =>
  new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([
      { value: null, color: steps[0] },
      ...(steps.slice(1) as (readonly [number, string])[]).map(([value, color]) => ({ value, color })),
    ]);

interface CommonBuilder {
  title(t: string): this;
  description(d: string): this;
  gridPos(p: dashboard.GridPos): this;
  unit(u: string): this;
  decimals(d: number): this;
  thresholds(t: dashboard.ThresholdsConfigBuilder): this;
  datasource(d: common.DataSourceRef): this;
  withTarget(t: InfluxQueryBuilder): this;
  timeFrom(t: string): this;
  min(n: number): this;
  max(n: number): this;
  mappings(m: dashboard.ValueMapping[]): this;
}

function configure<B extends CommonBuilder>(b: B, p: PanelSpec): B {
  const [x, y, w, h] = p.place;
  b.title(p.title)
    .gridPos({ x, y, w, h })
    .unit(p.unit)
    .decimals(p.decimals)
    .thresholds(thresholds(p.steps))
    .datasource(VIGIE_DATASOURCE);
  if (p.description) b.description(p.description);
  if (p.timeFrom) b.timeFrom(p.timeFrom);
  if (p.min !== undefined) b.min(p.min);
  if (p.max !== undefined) b.max(p.max);
  if (p.mappings) b.mappings(p.mappings);
  for (const t of p.targets) b.withTarget(t);
  return b;
}

/** A time series; `bars` for daily/monthly KPI points, `thresholdLines` to draw the target steps. */
export function timeSeries(
  p: PanelSpec & { bars?: boolean; thresholdLines?: boolean; stacked?: boolean },
): timeseries.PanelBuilder {
  const b = configure(new timeseries.PanelBuilder(), p)
    .drawStyle(p.bars ? common.GraphDrawStyle.Bars : common.GraphDrawStyle.Line)
    .fillOpacity(p.bars ? 80 : 10)
    .spanNulls(false)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    );
  if (p.bars) b.showPoints(common.VisibilityMode.Never);
  if (p.thresholdLines)
    b.thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line),
    );
  if (p.stacked) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal).group('A'));
  return b;
}

/** One big number (or one per series), coloured by the thresholds; `calc` reduces each series. */
export function statPanel(
  p: PanelSpec & { calc?: 'lastNotNull' | 'sum' | 'mean' | 'max' | 'min'; tiles?: boolean },
): stat.PanelBuilder {
  return configure(new stat.PanelBuilder(), p)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs([p.calc ?? 'lastNotNull']).values(false))
    .colorMode(p.tiles ? common.BigValueColorMode.Background : common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(p.tiles ? common.BigValueTextMode.ValueAndName : common.BigValueTextMode.Auto);
}

/**
 * A table of one or more table-format targets, merged; cells coloured by the thresholds in the `colour` columns,
 * the other columns hidden or renamed by `columns` (name → header; `null` hides it).
 */
export function tablePanel(
  p: PanelSpec & {
    colour?: readonly string[];
    columns?: Record<string, string | null>;
    /** Units of columns other than the panel's. */
    units?: Record<string, string>;
    /** Value texts of some columns (flags, states). */
    texts?: Record<string, dashboard.ValueMapping[]>;
  },
): table.PanelBuilder {
  const b = configure(new table.PanelBuilder(), p).cellHeight(common.TableCellHeight.Sm);
  if (p.targets.length > 1) b.withTransformation({ id: 'merge', options: {} });
  if (p.columns) {
    const entries = Object.entries(p.columns);
    b.withTransformation({
      id: 'organize',
      options: {
        excludeByName: Object.fromEntries(entries.filter(([, v]) => v === null).map(([k]) => [k, true])),
        renameByName: Object.fromEntries(entries.filter(([, v]) => v !== null)),
        indexByName: {},
      },
    });
  }
  for (const name of p.colour ?? [])
    b.overrideByName(name, [
      { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorBackground } },
    ]);
  for (const [name, unit] of Object.entries(p.units ?? {}))
    b.overrideByName(name, [{ id: 'unit', value: unit }]);
  for (const [name, m] of Object.entries(p.texts ?? {}))
    b.overrideByName(name, [{ id: 'mappings', value: m }]);
  return b;
}

/** A layer of markers of a geomap panel, coloured by one column (its thresholds or its value texts). */
export interface MarkerLayer {
  readonly name: string;
  /** The column whose colour (thresholds, or the value texts of `texts`) each marker takes. */
  readonly colourBy: string;
  /** Marker diameter, px. */
  readonly size: number;
}

/**
 * A map (Grafana's geomap) of devices: a `positions` target returning one row per device with `lat`, `lon` (see
 * vigie-data `devicePositions`) and value targets returning one row per device, all table-format and grouped by the
 * `joinBy` tag, joined on it (inner join: a device shows when it has both a position and a value in the time
 * range). Each layer draws one marker per device at (`lat`, `lon`), coloured by its `colourBy` column; layers are
 * drawn in order, the last on top. The view fits the markers.
 */
export function geomapPanel(
  p: PanelSpec & {
    readonly joinBy: string;
    readonly layers: readonly MarkerLayer[];
    /** Value texts (and colours) of some columns (flags, states). */
    readonly texts?: Record<string, dashboard.ValueMapping[]>;
  },
): geomap.PanelBuilder {
  const b = configure(new geomap.PanelBuilder(), p)
    .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.Thresholds))
    .withTransformation({ id: 'joinByField', options: { byField: p.joinBy, mode: 'inner' } })
    .view(
      new geomap.MapViewConfigBuilder().id(geomap.MapCenterID.Fit).allLayers(true).padding(10).maxZoom(18),
    )
    .controls(new geomap.ControlsOptionsBuilder().showZoom(true).mouseWheelZoom(true).showScale(true))
    .tooltip(new geomap.TooltipOptionsBuilder().mode(geomap.TooltipMode.Details))
    .basemap(new common.MapLayerOptionsBuilder().type('default').name('Basemap'))
    .layers(
      p.layers.map((l) =>
        new common.MapLayerOptionsBuilder()
          .type('markers')
          .name(l.name)
          .location(
            new common.FrameGeometrySourceBuilder()
              .mode(common.FrameGeometrySourceMode.Coords)
              .latitude(GEO_COLUMNS.lat)
              .longitude(GEO_COLUMNS.lon),
          )
          .config({
            showLegend: true,
            style: {
              color: { field: l.colourBy },
              size: { fixed: l.size },
              opacity: 0.9,
              symbol: { mode: 'fixed', fixed: 'img/icons/marker/circle.svg' },
            },
          })
          .tooltip(true),
      ),
    );
  for (const [name, m] of Object.entries(p.texts ?? {}))
    b.overrideByName(name, [{ id: 'mappings', value: m }]);
  return b;
}

/** The columns a geomap panel places its markers with (the aliases of vigie-data `devicePositions`). */
export const GEO_COLUMNS = { lat: 'lat', lon: 'lon' } as const;

/** `1 → text` value mappings (states, flags). */
export function valueTexts(texts: Record<string, { text: string; color: string }>): dashboard.ValueMapping[] {
  return [
    {
      type: dashboard.MappingType.ValueToText,
      options: Object.fromEntries(
        Object.entries(texts).map(([v, t], index) => [v, { text: t.text, color: t.color, index }]),
      ),
    },
  ];
}

/** Shorthand for a time-series target and a table target. */
export const q = (refId: string, query: string) => new InfluxQueryBuilder(refId, query);
export const tq = (refId: string, query: string) => new InfluxQueryBuilder(refId, query).table();
