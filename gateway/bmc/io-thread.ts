/**
 * The process's BMC I/O thread (transport-worker.ts) as the main thread sees
 * it: operations go over in batches (one message per turn of the event loop),
 * answers come back the same way and settle their promises. One thread serves
 * every RedfishClient of the process; it is started on first use, holds the
 * process open only while operations are pending, and is started again if it dies.
 */
import { Worker } from "node:worker_threads";
import { BmcError, type BmcErrorDetail, type BmcErrorType } from "./errors.js";
import type { ActionOutput, BmcActionName } from "./actions/types.js";
import type { PlanResult } from "../../src/scheduler/actions.js";
import type { Machine } from "../platform/machine.js";
import type { ManagerSnapshot } from "./actions/property-paths.js";
import type { HttpMethod, MachineEndpoint, TransportOptions, TransportResponse } from "./transport.js";

/** The action entry points the thread runs, as BmcAction names them. */
export type ActionKind = "run" | "plan" | "revert";

/** @internal what the main thread asks of the I/O thread. */
export type WireOp =
  | {
      op: "send";
      id: number;
      client: number;
      /** The client's settings: the thread makes its client from them (again, if the thread was restarted). */
      options: TransportOptions;
      machine: MachineEndpoint;
      method: HttpMethod;
      path: string;
      headers: Record<string, string> | undefined;
      body: unknown;
      /** Which of the main thread's signals the request listens to. */
      signal: number | undefined;
    }
  | {
      op: "action";
      id: number;
      client: number;
      options: TransportOptions;
      kind: ActionKind;
      action: BmcActionName;
      machine: Machine;
      payload: unknown;
      before?: ManagerSnapshot;
      after?: ManagerSnapshot;
      signal: number;
      /** The signal had fired before the action was sent. */
      aborted: boolean;
    }
  | { op: "cancel"; client: number; signal: number }
  | { op: "forget"; id: number; client: number; machineId: string }
  | { op: "close"; id: number; client: number };

/** Each kind of operation without its id (Omit over the union itself would merge the kinds). */
export type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/** @internal a failure as it crosses threads: a BmcError's fields, or any other error's message. */
export interface WireError {
  bmc: boolean;
  type: BmcErrorType;
  transient: boolean;
  message: string;
  machineId: string | undefined;
  status: number | undefined;
  retryAfterMs: number | undefined;
  detail: BmcErrorDetail | undefined;
  /** The file system or network code of the cause (ECONNREFUSED...). */
  code: string | undefined;
}

/** What an operation resolves with: a response (send), an action's output or plan, nothing (forget, close). */
export type WireValue = TransportResponse | ActionOutput | PlanResult | undefined;

/** @internal the I/O thread's answer to one operation. */
export type WireAnswer = { id: number; value?: WireValue; error?: WireError };

interface Pending {
  resolve: (value: WireValue) => void;
  reject: (error: Error) => void;
}

export function errorOf(e: WireError): Error {
  if (!e.bmc) return new Error(e.message);
  const cause = e.code === undefined ? undefined : Object.assign(new Error(e.code), { code: e.code });
  return new BmcError({
    type: e.type,
    transient: e.transient,
    message: e.message,
    ...(e.machineId !== undefined && { machineId: e.machineId }),
    ...(e.status !== undefined && { status: e.status }),
    ...(e.retryAfterMs !== undefined && { retryAfterMs: e.retryAfterMs }),
    ...(e.detail !== undefined && { detail: e.detail }),
    ...(cause && { cause }),
  });
}

export class IoThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private queue: WireOp[] = [];
  private flushScheduled = false;
  private nextId = 1;

  call(op: WithoutId<Extract<WireOp, { id: number }>>): { id: number; done: Promise<WireValue> } {
    const id = this.nextId++;
    const done = new Promise<WireValue>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
    });
    this.post({ ...op, id } as WireOp);
    return { id, done };
  }

  post(op: WireOp): void {
    this.queue.push(op);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Starts the thread now (it loads undici and the actions) rather than when the first run needs it. */
  warm(): void {
    this.started();
  }

  /** Rejects one pending call now (its answer, if it comes, is dropped). */
  settle(id: number, error: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(error);
    this.idle();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const worker = this.started();
    worker.ref();
    worker.postMessage(batch);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./transport-worker.js", import.meta.url), {
      // Loaders a test runner or profiler put on the main thread only slow this thread's start.
      execArgv: [],
    });
    worker.on("message", (answers: WireAnswer[]) => this.answer(answers));
    worker.on("error", (error) => this.fail(worker, error));
    worker.on("exit", (code) => this.fail(worker, new Error(`the BMC I/O thread stopped (exit ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private answer(answers: WireAnswer[]): void {
    for (const a of answers) {
      const p = this.pending.get(a.id);
      if (!p) continue;
      this.pending.delete(a.id);
      if (a.error) p.reject(errorOf(a.error));
      else p.resolve(a.value);
    }
    this.idle();
  }

  private idle(): void {
    if (this.pending.size === 0) this.worker?.unref();
  }

  /** The thread died: everything it had fails, and the next operation starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const queued = new Set(this.queue.map((op) => ("id" in op ? op.id : -1)));
    for (const [id, p] of this.pending) {
      if (queued.has(id)) continue;
      this.pending.delete(id);
      p.reject(new BmcError({ type: "Unknown", transient: true, message: error.message, cause: error }));
    }
  }
}

let shared: IoThread | undefined;

/** The process's I/O thread. */
export function ioThread(): IoThread {
  shared ??= new IoThread();
  return shared;
}
