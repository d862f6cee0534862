import { READING_AGGREGATES } from '@vigie/admin';
import { DEVICE_KINDS } from '@vigie/devices';
import { z } from 'zod';
import { instant, pageQuery, text } from '../http/common.schemas';
import { ID_SCHEMA } from '../http/zod-params';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Query of `GET /api/v1/tenants/:tenant/readings`. */
export const readingsQuerySchema = z.strictObject({
  device: ID_SCHEMA.optional().describe('one device (its kind is the registry’s)'),
  site: ID_SCHEMA.optional().describe('the devices of one site (with kind)'),
  kind: z
    .enum(DEVICE_KINDS.map((k) => k.id) as [string, ...string[]], {
      error: `must be one of ${DEVICE_KINDS.map((k) => k.id).join(', ')}`,
    })
    .optional()
    .describe('the device kind; required unless device is given'),
  metric: text(64).optional().describe('one metric of the kind (default: all; required when aggregating)'),
  from: instant.describe('ISO date-time, inclusive'),
  to: instant.describe('ISO date-time, exclusive'),
  interval: z
    .string()
    .regex(/^[1-9]\d{0,5}[smhd]$/, 'must be a duration such as 15m, 1h or 1d')
    .transform((s) => Number(s.slice(0, -1)) * UNITS[s.slice(-1)])
    .optional()
    .describe('aggregate per interval (15m, 1h, 1d); absent: raw readings'),
  aggregate: z
    .enum(READING_AGGREGATES, { error: `must be one of ${READING_AGGREGATES.join(', ')}` })
    .optional()
    .describe('the aggregation per interval (default mean)'),
  ...pageQuery,
});
export type ReadingsQueryParams = z.infer<typeof readingsQuerySchema>;
