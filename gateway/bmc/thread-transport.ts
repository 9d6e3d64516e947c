/**
 * BMC requests sent from the process's BMC I/O thread (transport-worker.ts)
 * instead of this one. The main thread keeps the actions, the scheduler and the
 * API; sockets, HTTP parsing, JSON encoding of bodies and their garbage move to
 * the other thread, so a GET of the API does not queue behind thousands of BMC
 * answers. What it costs: each request and answer crosses threads as a
 * structured-clone message (batched: one message per turn of each event loop),
 * and the thread holds its own copy of undici (~10 MB).
 *
 * The semantics are BmcTransport's: the same errors (rebuilt here from their
 * type and message), the same timeouts (applied on the thread), and a task's
 * signal rejects its requests here at once while the thread aborts the sockets.
 */
import { Worker } from "node:worker_threads";
import { BmcError, type BmcErrorType } from "./errors.js";
import type { BmcWire, HttpMethod, MachineEndpoint, TransportOptions, TransportRequest, TransportResponse } from "./transport.js";

/** @internal what the main thread asks of the I/O thread. */
export type WireOp =
  | {
      op: "send";
      id: number;
      client: number;
      /** The client's transport settings: the thread makes its transport from them (again, if the thread was restarted). */
      options: TransportOptions;
      machine: MachineEndpoint;
      method: HttpMethod;
      path: string;
      headers: Record<string, string> | undefined;
      body: unknown;
      /** Which of the main thread's signals the request listens to. */
      signal: number | undefined;
    }
  | { op: "cancel"; client: number; signal: number }
  | { op: "forget"; id: number; client: number; machineId: string }
  | { op: "close"; id: number; client: number };

/** Each kind of operation without its id (Omit over the union itself would merge the kinds). */
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/** @internal a failure as it crosses threads. */
export interface WireError {
  type: BmcErrorType;
  transient: boolean;
  message: string;
  machineId: string | undefined;
  /** The file system or network code of the cause (ECONNREFUSED...). */
  code: string | undefined;
}

/** @internal the I/O thread's answer to one operation. */
export type WireAnswer = { id: number; res?: TransportResponse; error?: WireError };

interface Pending {
  resolve: (value: TransportResponse | undefined) => void;
  reject: (error: Error) => void;
}

/** The one I/O thread of the process, shared by every ThreadTransport; started on first use. */
class IoThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private queue: WireOp[] = [];
  private flushScheduled = false;
  private nextId = 1;

  call(op: WithoutId<Extract<WireOp, { id: number }>>): { id: number; done: Promise<TransportResponse | undefined> } {
    const id = this.nextId++;
    const done = new Promise<TransportResponse | undefined>((resolve, reject) => {
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
      else p.resolve(a.res);
    }
    this.idle();
  }

  private idle(): void {
    if (this.pending.size === 0) this.worker?.unref();
  }

  /** The thread died: everything it had fails, and the next request starts a new one. */
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

function errorOf(e: WireError): BmcError {
  const cause = e.code === undefined ? undefined : Object.assign(new Error(e.code), { code: e.code });
  return new BmcError({ type: e.type, transient: e.transient, message: e.message, ...(e.machineId !== undefined && { machineId: e.machineId }), ...(cause && { cause }) });
}

let thread: IoThread | undefined;
let nextClient = 1;

/** The requests made under one signal, so one listener on it cancels them all. */
interface SignalEntry {
  key: number;
  /** Pending request id -> the machine and what the request was, for the Cancelled error. */
  calls: Map<number, [machineId: string, what: string]>;
}

export class ThreadTransport implements BmcWire {
  private readonly client = nextClient++;
  private readonly io: IoThread;
  private readonly options: TransportOptions;
  private readonly signals = new WeakMap<AbortSignal, SignalEntry>();
  private nextSignal = 1;
  private closed = false;

  constructor(options: TransportOptions = {}) {
    this.io = thread ??= new IoThread();
    this.options = options;
  }

  async send(machine: MachineEndpoint, request: TransportRequest): Promise<TransportResponse> {
    const what = `${request.method} ${request.path}`;
    if (this.closed) throw new BmcError({ type: "ClientClosed", transient: false, machineId: machine.id, message: "The BMC client is shut down" });
    const { signal } = request;
    if (signal?.aborted) throw new BmcError({ type: "Cancelled", transient: false, machineId: machine.id, message: `${what} cancelled before it was sent` });
    const entry = signal && this.entryFor(signal);
    const { id, done } = this.io.call({
        op: "send",
        client: this.client,
        options: this.options,
        // Only what the wire reads: the machine's credentials stay on this thread.
        machine: { id: machine.id, endpoint: machine.endpoint, insecure: machine.insecure, httpClientTimeoutSeconds: machine.httpClientTimeoutSeconds },
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        signal: entry?.key,
      });
    entry?.calls.set(id, [machine.id, what]);
    try {
      return (await done)!;
    } finally {
      entry?.calls.delete(id);
    }
  }

  /** One listener per signal, however many requests are made under it. */
  private entryFor(signal: AbortSignal): SignalEntry {
    let entry = this.signals.get(signal);
    if (entry) return entry;
    const made: SignalEntry = { key: this.nextSignal++, calls: new Map() };
    signal.addEventListener(
      "abort",
      () => {
        this.io.post({ op: "cancel", client: this.client, signal: made.key });
        for (const [id, [machineId, what]] of made.calls) {
          this.io.settle(id, new BmcError({ type: "Cancelled", transient: false, machineId, message: `${what} cancelled` }));
        }
      },
      { once: true },
    );
    this.signals.set(signal, made);
    return made;
  }

  async forget(machineId: string): Promise<void> {
    await this.io.call({ op: "forget", client: this.client, machineId }).done;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.io.call({ op: "close", client: this.client }).done;
  }
}
