import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { VIGIE_DATASOURCE } from './datasource';

/** How Grafana's InfluxDB data source shapes a raw InfluxQL result: one frame per series, or a table. */
export type InfluxResultFormat = 'time_series' | 'table';

/** A raw InfluxQL target of Grafana's InfluxDB data source (the SDK has no InfluxDB query type). */
export interface InfluxQuery extends cog.Dataquery {
  refId: string;
  datasource: common.DataSourceRef;
  rawQuery: true;
  query: string;
  resultFormat: InfluxResultFormat;
  alias?: string;
  hide?: boolean;
}

/** Builds an InfluxQL target: `new InfluxQueryBuilder('A', 'SELECT … WHERE $timeFilter').table()`. */
export class InfluxQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly internal: InfluxQuery;

  constructor(refId: string, query: string) {
    this.internal = {
      refId,
      datasource: VIGIE_DATASOURCE,
      rawQuery: true,
      query,
      resultFormat: 'time_series',
      _implementsDataqueryVariant: () => undefined,
    };
  }

  build(): InfluxQuery {
    return this.internal;
  }

  /** One table frame (columns = time, the selected fields and the GROUP BY tags). */
  table(): this {
    this.internal.resultFormat = 'table';
    return this;
  }

  /** Series name pattern (`$tag_subject`, `$col`). */
  alias(alias: string): this {
    this.internal.alias = alias;
    return this;
  }
}
