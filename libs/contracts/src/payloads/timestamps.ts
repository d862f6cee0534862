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
    const [, , month, day, hour, minute, second] = m;
    if (+month < 1 || +month > 12 || +day < 1 || +day > 31 || +hour > 23 || +minute > 59 || +(second ?? 0) > 60) {
      return undefined;
    }
    const ms = Date.parse(ts);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}
