/**
 * Polls an execution resource until it reaches a final state or the caller
 * gives up. Polling, not a push channel: the API (docs/api.md) has none yet, and an
 * execution of 2 000 machines changes slowly next to a 500 ms poll.
 */
import { isFinalState } from "./execution-view.js";
import type { GatewayClient } from "./http.js";
import type { Resource } from "./resources.js";

export interface FollowOptions {
  intervalMs: number;
  /** Aborting stops the polling and returns the last state seen. */
  signal: AbortSignal;
  onUpdate?: (execution: Resource) => void;
}

/** Waits `ms`, or less if `signal` aborts first; never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

export async function followExecution(client: GatewayClient, path: string, initial: Resource, options: FollowOptions): Promise<Resource> {
  let execution = initial;
  while (!isFinalState(execution) && !options.signal.aborted) {
    await sleep(options.intervalMs, options.signal);
    if (options.signal.aborted) break;
    execution = await client.get(path);
    options.onUpdate?.(execution);
  }
  return execution;
}
