import { parseInstant } from '@vigie/alerts';
import { TENANT_ROLES } from '@vigie/domain';
import { z } from 'zod';
import { instant, queryInt, text } from '../http/common.schemas';

/** An ISO date-time, kept as given (the service reads it). */
const isoInstant = z
  .string({ error: 'must be an ISO date-time' })
  .refine((s) => parseInstant(s) !== undefined, 'must be an ISO date-time such as 2026-03-01T08:00:00Z');

/** Body of `POST /api/v1/tenants/:tenant/api-keys`. */
export const newTenantKeySchema = z.strictObject({
  name: text(200).describe('what the key is for, e.g. "grafana" or "jeanne (energy manager)"'),
  role: z.enum(TENANT_ROLES, { error: `must be one of ${TENANT_ROLES.join(', ')}` }),
  expiresAt: isoInstant.optional().describe('default: 90 days from now; at most 366 days'),
});

/** Body of `POST /api/v1/platform/api-keys` (a platform-operator key). */
export const newPlatformKeySchema = z.strictObject({
  name: text(200),
  expiresAt: isoInstant.optional(),
});

/** Query of the audit logs. */
export const auditQuerySchema = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  limit: queryInt(1, 1000).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,16}-\d{1,16}$/, 'must be the nextCursor of the previous page')
    .optional(),
});
