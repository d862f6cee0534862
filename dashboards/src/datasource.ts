import * as common from '@grafana/grafana-foundation-sdk/common';

/** The InfluxDB (InfluxQL) data source every panel uses, provisioned with this uid in each Grafana organisation. */
export const VIGIE_DATASOURCE_UID = 'vigie-influxdb';
export const VIGIE_DATASOURCE: common.DataSourceRef = { type: 'influxdb', uid: VIGIE_DATASOURCE_UID };
