/**
 * Polls an assertion until it passes or the time runs out, then rethrows its last failure.
 * Use it instead of sleeping: the test waits exactly as long as the system needs.
 */
export async function expectEventually<T>(
  assertion: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const timeout = options.timeoutMs ?? 20000;
  const interval = options.intervalMs ?? 150;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      if (lastError instanceof Error) lastError.message = `not satisfied within ${timeout} ms: ${lastError.message}`;
      throw lastError;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
