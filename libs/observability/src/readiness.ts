/** What a readiness probe answers: ready when every required dependency answered in time. */
export interface Readiness {
  readonly ready: boolean;
  /** Per dependency: 'up', or why it is not (the error, or 'no answer within N ms'). */
  readonly checks: Readonly<Record<string, string>>;
}

/**
 * Runs every check concurrently, each bounded by `timeoutMs`. `required` names the checks readiness depends on
 * (default: all); the others are reported only (e.g. InfluxDB for the broker, whose spool rides out an outage).
 */
export async function checkReadiness(
  checks: Readonly<Record<string, () => Promise<unknown>>>,
  opts: { timeoutMs?: number; required?: readonly string[] } = {},
): Promise<Readiness> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const names = Object.keys(checks);
  const results = await Promise.all(
    names.map(async (name) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          checks[name](),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
            timer.unref();
          }),
        ]);
        return 'up';
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const out = Object.fromEntries(names.map((n, i) => [n, results[i]]));
  const required = opts.required ?? names;
  return { ready: required.every((n) => out[n] === 'up'), checks: out };
}
