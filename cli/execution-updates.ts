/**
 * Where the CLI learns how a running execution moves on. Today the gateway
 * offers only the execution resource, so the source polls it; a push source
 * (an SSE stream of the same resource) can replace `pollingSource` without
 * touching the commands, which only iterate the snapshots.
 */
import { isFinalState } from "./execution-view.js";
import { sleep } from "./follow-execution.js";
import type { GatewayClient } from "./http.js";
import type { Resource } from "./resources.js";

/** Successive snapshots of one execution, the last one final unless the signal stopped it first. */
export type ExecutionSource = (initial: Resource, signal: AbortSignal) => AsyncIterable<Resource>;

export function pollingSource(client: GatewayClient, path: string, intervalMs: number): ExecutionSource {
  return async function* poll(initial, signal) {
    let execution = initial;
    while (!isFinalState(execution) && !signal.aborted) {
      await sleep(intervalMs, signal);
      if (signal.aborted) return;
      execution = await client.get(path);
      yield execution;
    }
  };
}
