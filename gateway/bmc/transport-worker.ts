/**
 * The BMC I/O thread: hosts one BmcTransport per RedfishClient of the main
 * thread and runs its requests here, so sockets, HTTP parsing and their garbage
 * stay off the thread that serves the API. The main thread sends batches of
 * operations (thread-transport.ts); answers go back batched the same way, one
 * message per turn of this thread's event loop.
 */
import { parentPort } from "node:worker_threads";
import { isBmcError } from "./errors.js";
import { BmcTransport, type TransportOptions, type TransportResponse } from "./transport.js";
import type { WireAnswer, WireError, WireOp } from "./thread-transport.js";

const transports = new Map<number, BmcTransport>();
/** One controller per (client, signal) of the main thread, shared by the requests made under that signal. */
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

function transportOf(client: number, options: TransportOptions): BmcTransport {
  let t = transports.get(client);
  if (!t) transports.set(client, (t = new BmcTransport(options)));
  return t;
}

function wireError(error: unknown): WireError {
  if (isBmcError(error)) return { type: error.type, transient: error.transient, message: error.message, machineId: error.machineId, code: codeOf(error.cause) };
  return { type: "Unknown", transient: false, message: error instanceof Error ? error.message : String(error), machineId: undefined, code: undefined };
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

function signalFor(key: string): AbortSignal {
  let entry = signals.get(key);
  if (!entry) signals.set(key, (entry = { controller: new AbortController(), users: 0 }));
  entry.users++;
  return entry.controller.signal;
}

function release(key: string): void {
  const entry = signals.get(key);
  if (entry && --entry.users === 0) signals.delete(key);
}

function run(op: WireOp): void {
  switch (op.op) {
    case "send": {
      const key = op.signal === undefined ? undefined : `${op.client}/${op.signal}`;
      const signal = key === undefined ? undefined : signalFor(key);
      transportOf(op.client, op.options)
        .send(op.machine, { method: op.method, path: op.path, headers: op.headers, body: op.body, signal })
        .then(
          (res: TransportResponse) => answer({ id: op.id, res }),
          (error: unknown) => answer({ id: op.id, error: wireError(error) }),
        )
        .finally(() => key !== undefined && release(key));
      return;
    }
    case "cancel": {
      const entry = signals.get(`${op.client}/${op.signal}`);
      entry?.controller.abort(new Error("cancelled"));
      return;
    }
    case "forget": {
      void (transports.get(op.client)?.forget(op.machineId) ?? Promise.resolve()).then(() => answer({ id: op.id }));
      return;
    }
    case "close": {
      const t = transports.get(op.client);
      transports.delete(op.client);
      void (t?.close() ?? Promise.resolve()).then(() => answer({ id: op.id }));
      return;
    }
  }
}

parentPort?.on("message", (batch: WireOp[]) => {
  for (const op of batch) run(op);
});
