/**
 * One abort listener per signal, however many requests are out under it.
 *
 * A run's signal is shared by every request its tasks have out at once (up to
 * the worker pool's size), and undici's request() adds and later removes a
 * listener of its own for each: thousands a second in a fan-out, each an event
 * listener registration on the signal. Here a signal gets one listener the
 * first time a request watches it, and that listener aborts whatever is
 * registered under the signal when it fires.
 */

/** What a watcher can be told: stop, for this reason. */
export type Aborter = (reason: unknown) => void;

const watched = new WeakMap<AbortSignal, Set<Aborter>>();

function reasonOf(signal: AbortSignal): unknown {
  return signal.reason ?? new Error("This operation was aborted");
}

/**
 * Calls `abort` when `signal` fires (at once if it already has); returns the
 * function that stops watching, to call when the request is over.
 */
export function onAbort(signal: AbortSignal, abort: Aborter): () => void {
  if (signal.aborted) {
    abort(reasonOf(signal));
    return noop;
  }
  let aborters = watched.get(signal);
  if (!aborters) {
    const set = new Set<Aborter>();
    aborters = set;
    watched.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        watched.delete(signal);
        const reason = reasonOf(signal);
        for (const a of set) a(reason);
        set.clear();
      },
      { once: true },
    );
  }
  const set = aborters;
  set.add(abort);
  return () => void set.delete(abort);
}

function noop(): void {}
