import { DEVICE_KINDS } from '@vigie/devices';
import { LORAWAN_NETWORKS } from '@vigie/contracts';
import { z } from 'zod';
import { pageQuery, text } from '../http/common.schemas';
import { ID_SCHEMA } from '../http/zod-params';

const attributes = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'attribute names are snake_case, at most 64 characters'),
    z.string({ error: 'must be a string' }).max(2000, 'must be at most 2000 characters'),
    { error: 'must be an object of string values' },
  )
  .refine((o) => Object.keys(o).length <= 100, 'at most 100 attributes');

/** Body of `POST /api/v1/tenants`. */
export const newTenantSchema = z.strictObject({
  id: ID_SCHEMA,
  name: text(200).optional(),
  timeZone: text(64)
    .optional()
    .describe('IANA time zone of the local days and months of KPIs (default Europe/Paris)'),
});

/** Body of `PUT /api/v1/tenants/:tenant/open-data`. */
export const openDataSchema = z.strictObject({
  licence: text(200).describe('the licence the KPIs are published under, e.g. Licence Ouverte 2.0 (Etalab)'),
});

/** Body of `POST /api/v1/tenants/:tenant/sites`. */
export const newSiteSchema = z.strictObject({
  id: ID_SCHEMA,
  name: text(200).optional(),
  attributes: attributes.optional(),
});

/** Body of `PATCH /api/v1/tenants/:tenant/sites/:site`: attributes to set, attribute names to remove. */
export const siteUpdateSchema = z
  .strictObject({
    set: attributes.optional(),
    unset: z.array(z.string().max(64)).max(100).optional(),
  })
  .refine(
    (u) => Object.keys(u.set ?? {}).length + (u.unset?.length ?? 0) > 0,
    'nothing to change: give set or unset',
  );

const kind = z.enum(DEVICE_KINDS.map((k) => k.id) as [string, ...string[]], {
  error: `must be one of ${DEVICE_KINDS.map((k) => k.id).join(', ')}`,
});
const intervalS = z
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1')
  .max(31 * 86_400, 'must be at most 31 days');

const location = z
  .strictObject({
    lat: z.number({ error: 'must be a number' }).min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90'),
    lon: z.number({ error: 'must be a number' }).min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180'),
  })
  .describe('WGS84 degrees: where the device is (the maps of the waste and lighting dashboards)');

/** Body of `POST /api/v1/tenants/:tenant/devices`. */
export const newDeviceSchema = z.strictObject({
  id: ID_SCHEMA,
  kind,
  site: ID_SCHEMA.optional(),
  intervalS: intervalS.optional(),
  devEui: z
    .string()
    .regex(/^[0-9a-fA-F]{16}$/, 'must be 16 hex digits')
    .optional(),
  location: location.optional(),
});

/** Body of `PATCH /api/v1/tenants/:tenant/devices/:device`. */
export const deviceUpdateSchema = z
  .strictObject({
    site: ID_SCHEMA.nullable().optional().describe('the new site, or null to detach the device'),
    intervalS: intervalS.optional(),
    location: location.nullable().optional().describe('the new position, or null to forget it'),
  })
  .refine(
    (u) => u.site !== undefined || u.intervalS !== undefined || u.location !== undefined,
    'nothing to change: give site, intervalS or location',
  );

/** Body of `POST /api/v1/tenants/:tenant/devices/import`: the CSV text of `vigie devices import`. */
export const deviceImportSchema = z.strictObject({
  csv: z
    .string({ error: 'must be the CSV text' })
    .min(1, 'must not be empty')
    .max(2_000_000, 'must be at most 2 MB: split the file'),
});

/** Query of `GET /api/v1/tenants/:tenant/devices`. */
export const deviceListQuerySchema = z.strictObject({
  site: ID_SCHEMA.optional(),
  kind: kind.optional(),
  ...pageQuery,
});

export const pageQuerySchema = z.strictObject(pageQuery);

/** Body of `POST /api/v1/tenants/:tenant/accounts`. */
export const newAccountSchema = z.strictObject({
  id: ID_SCHEMA,
  acl: z.array(text(200)).max(50).optional().describe("topic patterns inside 'vigie/<tenant>/…'"),
  lorawan: z.enum(LORAWAN_NETWORKS, { error: `must be one of ${LORAWAN_NETWORKS.join(', ')}` }).optional(),
});
