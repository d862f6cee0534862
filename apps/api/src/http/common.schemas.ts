import { parseInstant } from '@vigie/alerts';
import { z } from 'zod';

const required = (what: string) => (i: { input: unknown }) =>
  i.input === undefined ? 'required' : `must be ${what}`;

/** A non-empty trimmed string of at most `max` characters. */
export const text = (max: number) =>
  z
    .string({ error: required('a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** An ISO 8601 date or date-time with its offset, as epoch ms. */
export const instant = z.string({ error: required('a string') }).transform((s, ctx) => {
  const ms = parseInstant(s);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO date-time such as 2026-03-01T08:00:00Z' });
    return z.NEVER;
  }
  return ms;
});

/** A whole number in a query string. */
export const queryInt = (min: number, max: number) =>
  z
    .string({ error: required('a whole number') })
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** Page size and position of a paginated list: `nextCursor` of a page is the `cursor` of the next. */
export const pageQuery = {
  limit: queryInt(1, 1000).optional().describe('page size (default 100, at most 1000)'),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'must be the nextCursor of the previous page')
    .optional()
    .describe('the nextCursor of the previous page'),
};
export const DEFAULT_PAGE_SIZE = 100;
