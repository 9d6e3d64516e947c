/**
 * Waits for something to become true, for tests that cannot wait on an event:
 * polls `condition` until it holds (or returns a value other than undefined,
 * false or null) and resolves with that value. The deadline is a safety net,
 * not a timing assertion: it is generous so that a busy machine only makes the
 * wait longer, and on expiry the error names what was awaited instead of the
 * test hanging until tap's own limit.
 */
export interface UntilOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Pause between polls (default 10 ms). */
  intervalMs?: number;
  /** Named in the error when the deadline passes. */
  what?: string;
}

export async function until<T>(
  condition: () => T | Promise<T>,
  options: UntilOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const { timeoutMs = 30_000, intervalMs = 10, what = condition.toString() } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
