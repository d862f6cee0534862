/**
 * Retries an assertion until it passes or `timeoutMs` runs out, then rethrows its last failure. Use it
 * instead of fixed sleeps when waiting for something asynchronous to become true.
 */
export async function expectEventually<T>(
  assertion: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) throw lastError;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
