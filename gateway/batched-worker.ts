/**
 * A worker thread spoken to in batches, as the BMC I/O thread and the result
 * file writer are: what is asked during one turn of the event loop goes over
 * as one message, and the worker answers the same way, so a fan-out's
 * thousands of calls cost a few postMessage calls. The worker holds the
 * process open only while answers are pending; when it dies, the calls it had
 * fail and the next call starts a new one (calls still queued go to that one).
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

interface Pending<V> {
  resolve: (value: V) => void;
  reject: (error: Error) => void;
}

export interface BatchedWorkerOptions<A, V> {
  /** The worker's module. */
  url: URL;
  /**
   * Passed to the worker. Its execArgv defaults to none: the loaders a test runner
   * or profiler puts on the main thread only slow the worker's start.
   */
  workerOptions?: WorkerOptions;
  /** Named in the error when the worker stops ("the BMC I/O thread"). */
  name: string;
  /** One answer's outcome: the value its call resolves with, or the error it rejects with. */
  outcome: (answer: A) => { value: V } | { error: Error };
  /** What a call fails with when the worker dies before answering it. */
  lost: (error: Error) => Error;
}

export class BatchedWorker<Op, A extends { id: number }, V> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending<V>>();
  private queue: Op[] = [];
  /** Calls in `queue`: not lost when a worker dies, since they were never sent to it. */
  private queuedIds = new Set<number>();
  private flushScheduled = false;
  private nextId = 1;

  constructor(private readonly options: BatchedWorkerOptions<A, V>) {}

  /** Sends the operation `make(id)` with the next batch; `done` settles with the worker's answer to `id`. */
  call(make: (id: number) => Op): { id: number; done: Promise<V> } {
    const id = this.nextId++;
    const done = new Promise<V>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queuedIds.add(id);
    this.post(make(id));
    return { id, done };
  }

  /** Sends an operation that gets no answer with the next batch. */
  post(op: Op): void {
    this.queue.push(op);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Starts the worker now rather than with the first batch. */
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
    this.queuedIds = new Set();
    const worker = this.started();
    worker.ref();
    worker.postMessage(batch);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.url, { execArgv: [], ...this.options.workerOptions });
    worker.on("message", (answers: A[]) => this.answer(answers));
    worker.on("error", (error) => this.fail(worker, error));
    worker.on("exit", (code) => this.fail(worker, new Error(`${this.options.name} stopped (exit ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private answer(answers: A[]): void {
    for (const a of answers) {
      const p = this.pending.get(a.id);
      if (!p) continue;
      this.pending.delete(a.id);
      const outcome = this.options.outcome(a);
      if ("error" in outcome) p.reject(outcome.error);
      else p.resolve(outcome.value);
    }
    this.idle();
  }

  private idle(): void {
    if (this.pending.size === 0) this.worker?.unref();
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const [id, p] of this.pending) {
      if (this.queuedIds.has(id)) continue;
      this.pending.delete(id);
      p.reject(this.options.lost(error));
    }
  }
}
