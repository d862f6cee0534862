const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a Vigie JSON `ts`: epoch milliseconds (a finite number) or an ISO 8601 date-time that names its
 * time zone. Returns epoch milliseconds, or undefined when the value is neither.
 */
export function parseTimestamp(ts: unknown): number | undefined {
  if (typeof ts === 'number') {
    return Number.isFinite(ts) ? Math.round(ts) : undefined;
  }
  if (typeof ts === 'string') {
    const m = ISO_8601.exec(ts);
    if (!m) return undefined;
    const [, year, month, day, hour, minute, second] = m;
    if (+month < 1 || +month > 12 || +hour > 23 || +minute > 59 || +(second ?? 0) > 59) return undefined;
    // Date.parse rolls impossible dates over (Feb 29 2025 → Mar 1): refuse any day its month does not have.
    const daysInMonth = new Date(Date.UTC(+year, +month, 0)).getUTCDate();
    if (+day < 1 || +day > daysInMonth) return undefined;
    const ms = Date.parse(ts);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}
