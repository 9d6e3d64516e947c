/**
 * Follows a run over the gateway's event stream instead of polling it: one
 * SSE connection filtered to the run, whose run-log events say each machine's
 * outcome as it ends. The execution is read twice however long the run: once
 * the stream is open (what ended before it opened) and when its final event
 * comes (the authoritative end state, with anything the stream could not say).
 *
 * Reconnects with Last-Event-ID when the stream drops (and reads the run
 * again, since run-log lines are not replayed); falls back to the polling
 * source when there is no stream (an older gateway answering 404) or it
 * cannot be reached again.
 */
import { FINAL_STATES, isFinalState } from "./execution-view.js";
import type { ExecutionSource } from "./execution-updates.js";
import { sleep } from "./follow-execution.js";
import type { GatewayClient, GatewayStream } from "./http.js";
import { list, obj, str, type Resource } from "./resources.js";
import { sseMessages } from "./sse-messages.js";

/** Where the gateway serves its stream (docs/api.md, "Events"). */
export const SSE_PATH = "/redfish/v1/EventService/SSE";

export interface StreamOptions {
  /** Used when the gateway has no stream, or it stays unreachable. */
  fallback: ExecutionSource;
  /** Wait before reconnecting when the server named none; default 2000 ms. */
  reconnectMs?: number;
  /** Failed connection attempts in a row before falling back; default 3. */
  maxFailures?: number;
}

/** The `$filter` for one run's state changes, alerts and run-log lines (DSP0266's SSE subset). */
export function runFilter(executionPath: string): string {
  const quoted = executionPath.replace(/'/g, "''");
  return `OriginResource eq '${quoted}' and (EventType eq 'StatusChange' or EventType eq 'Alert' or MessageId eq 'Shoal.MachineLog')`;
}

/** What the stream of a run can say: a machine's outcome, or that the run ended. */
type Change = "machine" | "final" | "none";

/**
 * Applies one Redfish Event resource to a copy of the execution kept in
 * place (a snapshot of thousands of machines is not copied per event).
 */
export function applyEvent(execution: Resource, event: unknown): Change {
  const records = typeof event === "object" && event !== null ? list(event as Resource, "Events") : [];
  let change: Change = "none";
  for (const record of records) {
    const shoal = obj(obj(record, "Oem") ?? {}, "Shoal") ?? {};
    if (FINAL_STATES.includes(str(shoal, "State") ?? "")) return "final";
    if (!(str(record, "MessageId") ?? "").endsWith(".MachineLog")) continue;
    const log = obj(shoal, "Log");
    if (log && applyLogLine(execution, log)) change = "machine";
  }
  return change;
}

/** A run-log "result" or "error" line ends a machine's task: its status, attempts, error. */
function applyLogLine(execution: Resource, log: Resource): boolean {
  const kind = str(log, "kind");
  if (kind !== "result" && kind !== "error") return false;
  // The status the line carries; an error line without one may yet be a cancellation, which the final read tells.
  const status = str(log, "outcome") ?? (kind === "result" ? "Success" : null);
  if (status === null) return false;
  const step = list(execution, "Steps").find((s) => str(s, "Name") === str(log, "step"));
  const machine = step ? list(step, "Machines").find((m) => str(m, "MachineId") === str(log, "machine")) : undefined;
  if (!machine) return false;
  machine.Status = status;
  if (typeof log.attempt === "number") machine.Attempts = log.attempt;
  machine.ErrorType = kind === "error" ? (str(log, "errorType") ?? null) : null;
  machine.Message = str(log, "message");
  return true;
}

function hangUp(stream: GatewayStream): void {
  // Destroying an unfinished undici body makes it emit an abort error: expected here, not a crash.
  stream.body.on("error", () => undefined);
  stream.body.destroy();
}

export function streamingSource(client: GatewayClient, path: string, options: StreamOptions): ExecutionSource {
  const maxFailures = options.maxFailures ?? 3;
  return async function* follow(initial, signal) {
    if (isFinalState(initial)) return;
    const execution: Resource = structuredClone(initial);
    let lastEventId: string | undefined;
    let waitMs = options.reconnectMs ?? 2000;
    let failures = 0;
    while (!signal.aborted) {
      let stream: GatewayStream;
      try {
        const resume: Record<string, string> = lastEventId === undefined ? {} : { "last-event-id": lastEventId };
        stream = await client.openStream(`${SSE_PATH}?$filter=${encodeURIComponent(runFilter(path))}`, resume, signal);
      } catch {
        if (signal.aborted) return;
        if (++failures >= maxFailures) {
          // Polling says plainly whether the gateway itself is gone.
          yield* options.fallback(execution, signal);
          return;
        }
        await sleep(waitMs, signal);
        continue;
      }
      if (stream.status !== 200) {
        hangUp(stream);
        yield* options.fallback(execution, signal);
        return;
      }
      failures = 0;
      // Once listening, the run is read once: what ended before (since the caller's read, or while
      // reconnecting; run-log lines are not replayed) is in it, and what ends after comes as events.
      const fresh = await client.get(path);
      Object.assign(execution, fresh);
      yield execution;
      if (isFinalState(fresh)) return hangUp(stream);
      try {
        for await (const message of sseMessages(utf8(stream.body))) {
          if (message.id !== undefined) lastEventId = message.id;
          if (message.retryMs !== undefined) waitMs = message.retryMs;
          const change = message.data === "" ? "none" : applyEvent(execution, parseJson(message.data));
          if (change === "final") {
            hangUp(stream);
            yield await client.get(path);
            return;
          }
          if (change === "machine") yield execution;
        }
      } catch {
        // The stream broke (reset, silence): reconnect below, unless the caller stopped.
      } finally {
        hangUp(stream);
      }
      if (signal.aborted) return;
      await sleep(waitMs, signal);
    }
  };
}

/** The body as text; a character split between two chunks is decoded whole. */
async function* utf8(body: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of body) yield typeof chunk === "string" ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
