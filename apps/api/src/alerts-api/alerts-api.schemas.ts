import { parseInstant } from '@vigie/alerts';
import { ALERT_DOMAINS, ALERT_SEVERITIES } from '@vigie/domain';
import { z } from 'zod';

const text = (max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? 'required' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** An ISO 8601 date or date-time with its offset, as epoch ms. */
const instant = z
  .string({ error: (i) => (i.input === undefined ? 'required' : 'must be a string') })
  .transform((s, ctx) => {
    const ms = parseInstant(s);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO date-time such as 2026-03-01T08:00:00Z' });
      return z.NEVER;
    }
    return ms;
  });

const severity = z.enum(ALERT_SEVERITIES, { error: `must be one of ${ALERT_SEVERITIES.join(', ')}` });

/** Query of `GET /api/tenants/:tenant/alerts`. */
export const alertListQuerySchema = z.strictObject({
  state: z
    .enum(['open', 'firing', 'acknowledged', 'resolved'], {
      error: 'must be one of open, firing, acknowledged, resolved',
    })
    .optional(),
  severity: severity.optional(),
  rule: text(128).optional(),
  subject: text(128).optional(),
  domain: z.enum(ALERT_DOMAINS, { error: `must be one of ${ALERT_DOMAINS.join(', ')}` }).optional(),
  site: text(128).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(1000, 'must be at most 1000'))
    .optional(),
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

/** Body of `PUT /api/tenants/:tenant/alert-rules/:rule/overrides` (replaces the override of that scope). */
export const overrideBodySchema = z.strictObject({
  site: text(128).optional(),
  device: text(128).optional(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  severity: severity.optional(),
  params: paramsSchema.optional(),
});
export type OverrideBody = z.infer<typeof overrideBodySchema>;

/** Query of `DELETE /api/tenants/:tenant/alert-rules/:rule/overrides`. */
export const overrideScopeQuerySchema = z.strictObject({
  site: text(128).optional(),
  device: text(128).optional(),
});

/** Body of `POST /api/tenants/:tenant/silences`. */
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
