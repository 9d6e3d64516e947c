/**
 * Where the CLI learns how a running execution moves on: a source yields
 * snapshots of the execution resource, so the commands only iterate them.
 * This one polls the resource; execution-stream.ts listens to the gateway's
 * event stream and falls back to this one when there is none.
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
