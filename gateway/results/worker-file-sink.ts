/**
 * Where result files go to be written: by default one worker thread per
 * process (write-worker.ts), fed in batches. Requests made in the same turn of
 * the event loop travel in one message, so 2 000 machines ending together cost
 * the main thread a few postMessage calls rather than 10 000 file-system promises.
 * The worker holds the process open only while writes are pending.
 */
import { Worker } from "node:worker_threads";

/** Creates a new file named `name` (or the first free `-2`, `-3`... variant) in `dir`; resolves with the name used. */
export interface ResultFileSink {
  create(dir: string, name: string, text: string): Promise<string>;
  /** Gets ready for writes (the worker starts while the run contacts its BMCs). */
  warm?(): void;
}

/** @internal one file to write, as sent to the worker. */
export interface FileRequest {
  id: number;
  dir: string;
  name: string;
  text: string;
}

/** @internal the worker's answer for one file. */
export type FileResponse =
  | { id: number; name: string }
  | { id: number; error: { stage: "write" | "claim"; code: string | undefined; message: string; candidate: string | undefined } };

/** A file the worker could not create: `stage` says whether writing the content or claiming the name failed. */
export class FileSinkError extends Error {
  constructor(
    readonly stage: "write" | "claim",
    readonly code: string | undefined,
    message: string,
    /** The name being claimed when it failed. */
    readonly candidate: string | undefined,
  ) {
    super(message);
    this.name = "FileSinkError";
  }
}

interface Pending {
  resolve: (name: string) => void;
  reject: (error: Error) => void;
}

/** Result files are for every operator to read; a umask that would narrow 0644 is overridden in the worker. */
const narrowingUmask = (process.umask() & 0o644) !== 0;

class WorkerFileSink implements ResultFileSink {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private queue: FileRequest[] = [];
  private flushScheduled = false;
  private nextId = 1;

  create(dir: string, name: string, text: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, dir, name, text });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  warm(): void {
    this.started();
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
    const worker = new Worker(new URL("./write-worker.js", import.meta.url), {
      workerData: { forceMode: narrowingUmask },
      // Plain JavaScript with no imports of ours: the loaders a test runner or
      // profiler put on the main thread only slow its start (seconds under tap).
      execArgv: [],
    });
    worker.on("message", (responses: FileResponse[]) => this.answer(responses));
    worker.on("error", (error) => this.fail(worker, error));
    worker.on("exit", (code) => this.fail(worker, new Error(`the result file writer stopped (exit ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private answer(responses: FileResponse[]): void {
    for (const r of responses) {
      const p = this.pending.get(r.id);
      if (!p) continue;
      this.pending.delete(r.id);
      if ("name" in r) p.resolve(r.name);
      else p.reject(new FileSinkError(r.error.stage, r.error.code, r.error.message, r.error.candidate));
    }
    if (this.pending.size === 0) this.worker?.unref();
  }

  /** The worker died: everything it had is failed, and the next write starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const queued = new Set(this.queue.map((r) => r.id));
    for (const [id, p] of this.pending) {
      if (queued.has(id)) continue;
      this.pending.delete(id);
      p.reject(new FileSinkError("write", undefined, error.message, undefined));
    }
  }
}

let shared: WorkerFileSink | undefined;

/** The process's result file worker, started on first write. */
export function workerFileSink(): ResultFileSink {
  shared ??= new WorkerFileSink();
  return shared;
}
