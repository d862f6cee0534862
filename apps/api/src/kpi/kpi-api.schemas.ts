import { findKpiOutput, KPI_WINDOWS } from '@vigie/contracts';
import { z } from 'zod';

const localDay = z
  .string({ error: (i) => (i.input === undefined ? 'required' : 'must be a string') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a local date YYYY-MM-DD');
const kpiIds = z
  .array(z.string().min(1).max(64))
  .max(100)
  .optional()
  .describe('catalogue ids (B1) or output ids (B1.consumption_kwh); absent or empty = every KPI');

/** Body of `POST /api/v1/tenants/:tenant/kpis/compute`. */
export const computeBodySchema = z.strictObject({ from: localDay, to: localDay, kpis: kpiIds });
export type ComputeBody = z.infer<typeof computeBodySchema>;

/** Data of a `kpi.compute` job, checked by the worker before anything runs. */
export const computeJobDataSchema = computeBodySchema.extend({ tenant: z.string().min(1).max(64) });

/** Query of `GET /api/v1/tenants/:tenant/kpis` and of the open-data endpoint. */
export const kpiPointsQuerySchema = z.strictObject({
  kpi: z
    .string({ error: (i) => (i.input === undefined ? 'required' : 'must be a string') })
    .max(64)
    .refine(
      (id) => findKpiOutput(id) !== undefined,
      'must be a KPI output id such as B1.consumption_kwh (docs/kpis.md)',
    ),
  from: localDay,
  to: localDay,
  subject: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters').optional(),
  window: z.enum(KPI_WINDOWS, { error: `must be one of ${KPI_WINDOWS.join(', ')}` }).optional(),
});
export type KpiPointsQuery = z.infer<typeof kpiPointsQuerySchema>;
