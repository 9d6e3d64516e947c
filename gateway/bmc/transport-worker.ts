/**
 * The BMC I/O thread: hosts one RedfishClient per RedfishClient of the main
 * thread that uses it (thread-transport.ts) and runs its requests and actions
 * here, so sockets, HTTP parsing, JSON and their garbage stay off the thread
 * that serves the API. The main thread sends batches of operations
 * (io-thread.ts); answers go back batched the same way, one message per turn
 * of this thread's event loop.
 */
import { setMaxListeners } from "node:events";
import { parentPort } from "node:worker_threads";
import { BMC_ACTIONS } from "./actions/index.js";
import { RedfishClient } from "./client.js";
import { isBmcError } from "./errors.js";
import type { TransportOptions } from "./transport.js";
import type { WireAnswer, WireError, WireOp, WireValue } from "./io-thread.js";

const clients = new Map<number, RedfishClient>();
/** One controller per (client, signal) of the main thread, shared by what was started under that signal. */
const signals = new Map<string, { controller: AbortController; users: number }>();
let answers: WireAnswer[] = [];
let flushScheduled = false;

function answer(a: WireAnswer): void {
  answers.push(a);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function flush(): void {
  flushScheduled = false;
  const batch = answers;
  answers = [];
  parentPort!.postMessage(batch);
}

function clientOf(id: number, options: TransportOptions): RedfishClient {
  let c = clients.get(id);
  // The main thread's options may carry ioThread: here, the work stays on this thread.
  if (!c) clients.set(id, (c = new RedfishClient({ ...options, ioThread: false })));
  return c;
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

function wireError(error: unknown): WireError {
  if (isBmcError(error)) {
    return {
      bmc: true,
      type: error.type,
      transient: error.transient,
      message: error.message,
      machineId: error.machineId,
      status: error.status,
      retryAfterMs: error.retryAfterMs,
      detail: error.detail,
      code: codeOf(error.cause),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { bmc: false, type: "Unknown", transient: false, message, machineId: undefined, status: undefined, retryAfterMs: undefined, detail: undefined, code: undefined };
}

function signalFor(key: string, aborted: boolean): AbortSignal {
  let entry = signals.get(key);
  if (!entry) {
    entry = { controller: new AbortController(), users: 0 };
    // A run's signal is shared by every request its tasks have out at once (up to the pool size);
    // requests listen through one shared listener (shared-abort.ts), actions may add their own:
    // many listeners here would be the design, not a leak to warn about.
    setMaxListeners(0, entry.controller.signal);
    signals.set(key, entry);
  }
  if (aborted) entry.controller.abort(new Error("cancelled"));
  entry.users++;
  return entry.controller.signal;
}

function release(key: string): void {
  const entry = signals.get(key);
  if (entry && --entry.users === 0) signals.delete(key);
}

/** Runs `work` under the main thread's signal `signal` (if any) and answers operation `id` with its outcome. */
function settle(id: number, client: number, signal: number | undefined, aborted: boolean, work: (signal: AbortSignal | undefined) => Promise<WireValue>): void {
  const key = signal === undefined ? undefined : `${client}/${signal}`;
  let running: Promise<WireValue>;
  try {
    running = work(key === undefined ? undefined : signalFor(key, aborted));
  } catch (error) {
    running = Promise.reject(error);
  }
  running
    .then(
      (value) => answer({ id, value }),
      (error: unknown) => answer({ id, error: wireError(error) }),
    )
    .finally(() => key !== undefined && release(key));
}

function run(op: WireOp): void {
  switch (op.op) {
    case "send": {
      const { machine, method, path, headers, body } = op;
      settle(op.id, op.client, op.signal, false, (signal) => clientOf(op.client, op.options).transport.send(machine, { method, path, headers, body, signal }));
      return;
    }
    case "action": {
      const action = BMC_ACTIONS.find((a) => a.name === op.action);
      settle(op.id, op.client, op.signal, op.aborted, (signal) => {
        if (!action) throw new Error(`No BMC action ${op.action}`);
        const ctx = { machine: op.machine, payload: op.payload as never, signal: signal!, client: clientOf(op.client, op.options) };
        if (op.kind === "plan") return action.plan(ctx);
        if (op.kind === "revert") return action.revert({ ...ctx, before: op.before ?? {}, after: op.after ?? {} });
        return action.run(ctx);
      });
      return;
    }
    case "cancel": {
      signals.get(`${op.client}/${op.signal}`)?.controller.abort(new Error("cancelled"));
      return;
    }
    case "forget": {
      settle(op.id, op.client, undefined, false, async () => void (await clients.get(op.client)?.forget(op.machineId)));
      return;
    }
    case "close": {
      const c = clients.get(op.client);
      clients.delete(op.client);
      settle(op.id, op.client, undefined, false, async () => void (await c?.close()));
      return;
    }
  }
}

parentPort?.on("message", (batch: WireOp[]) => {
  for (const op of batch) run(op);
});
