import { ALERT_DOMAINS, ALERT_SEVERITIES, findAlertRule } from '@vigie/domain';
import { ID_SCHEMA } from '../http/zod-params';
import { z } from 'zod';
import { instant, queryInt, text } from '../http/common.schemas';

/** A rule of the catalogue (docs/alert-rules.md). */
const alertRuleId = z
  .string()
  .max(128, 'must be at most 128 characters')
  .refine(
    (id) => findAlertRule(id) !== undefined,
    'must be an alert rule id of docs/alert-rules.md, e.g. waste.overflow',
  );

const severity = z.enum(ALERT_SEVERITIES, { error: `must be one of ${ALERT_SEVERITIES.join(', ')}` });

/** Query of `GET /api/v1/tenants/:tenant/alerts`. */
export const alertListQuerySchema = z.strictObject({
  state: z
    .enum(['open', 'firing', 'acknowledged', 'resolved'], {
      error: 'must be one of open, firing, acknowledged, resolved',
    })
    .optional(),
  severity: severity.optional(),
  rule: alertRuleId.optional(),
  subject: ID_SCHEMA.optional().describe('a device or site id'),
  domain: z.enum(ALERT_DOMAINS, { error: `must be one of ${ALERT_DOMAINS.join(', ')}` }).optional(),
  site: ID_SCHEMA.optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: queryInt(1, 1000).optional(),
});
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

export const acknowledgeBodySchema = z.strictObject({ by: text(128) });
export const assignBodySchema = z.strictObject({ to: text(128), by: text(128).optional() });
export const resolveBodySchema = z.strictObject({ by: text(128) });

const finite = z.number({ error: 'must be a number' });

/** The parameters an override may set (which ones a rule reads is checked against the catalogue). */
const paramsSchema = z.strictObject({
  direction: z.enum(['above', 'below'], { error: 'must be above or below' }).optional(),
  raise: finite.optional(),
  clear: finite.optional(),
  minDurationMin: finite.optional(),
  rise: finite.optional(),
  clearRise: finite.optional(),
  windowMin: finite.optional(),
  toleranceMin: finite.optional(),
  factor: finite.optional(),
  clearFactor: finite.optional(),
  baselineMin: finite.optional(),
  baselineMax: finite.optional(),
  consecutive: finite.optional(),
  k: finite.optional(),
  kByKind: z.record(z.string().min(1).max(64), finite).optional(),
  minCompleteness: finite.optional(),
});

/** Body of `PUT /api/v1/tenants/:tenant/alert-rules/:rule/overrides` (replaces the override of that scope). */
export const overrideBodySchema = z.strictObject({
  site: text(128).optional(),
  device: text(128).optional(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  severity: severity.optional(),
  params: paramsSchema.optional(),
});
export type OverrideBody = z.infer<typeof overrideBodySchema>;

/** Query of `DELETE /api/v1/tenants/:tenant/alert-rules/:rule/overrides`. */
export const overrideScopeQuerySchema = z.strictObject({
  site: text(128).optional(),
  device: text(128).optional(),
});

/** Body of `POST /api/v1/tenants/:tenant/silences`. */
export const silenceBodySchema = z.strictObject({
  kind: z.enum(['silence', 'maintenance'], { error: 'must be silence or maintenance' }),
  rule: text(128).optional(),
  subject: text(128).optional(),
  site: text(128).optional(),
  from: instant,
  to: instant,
  reason: text(500),
  createdBy: text(128).optional(),
});
export type SilenceBody = z.infer<typeof silenceBodySchema>;

const recipient = z.strictObject({
  id: text(64),
  name: text(200).optional(),
  email: z.email({ error: 'must be an e-mail address' }).optional(),
  webhook: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});

/** Body of `PUT /api/v1/tenants/:tenant/alert-routes/:route` (adds or replaces the route). */
export const routeBodySchema = z.strictObject({
  domains: z
    .array(z.enum(ALERT_DOMAINS, { error: `must be one of ${ALERT_DOMAINS.join(', ')}` }))
    .max(10)
    .optional(),
  severities: z.array(severity).max(10).optional(),
  sites: z.array(text(128)).max(500).optional(),
  recipients: z.array(recipient).min(1, 'at least one recipient').max(100),
  remindAfterMin: z.number({ error: 'must be a number of minutes' }).positive('must be positive').optional(),
  escalateAfterMin: z
    .number({ error: 'must be a number of minutes' })
    .positive('must be positive')
    .optional(),
  escalateTo: z.array(recipient).max(100).optional(),
  digest: z.boolean({ error: 'must be true or false' }).optional(),
  webhookSecret: text(200).optional(),
});
export type RouteBody = z.infer<typeof routeBodySchema>;
