/**
 * Where result files go to be written: by default one worker thread per
 * process (write-worker.ts), fed in batches. Requests made in the same turn of
 * the event loop travel in one message, so 2 000 machines ending together cost
 * the main thread a few postMessage calls rather than 10 000 file-system promises.
 * The worker holds the process open only while writes are pending.
 */
import { BatchedWorker } from "../batched-worker.js";

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

/** Result files are for every operator to read; a umask that would narrow 0644 is overridden in the worker. */
const narrowingUmask = (process.umask() & 0o644) !== 0;

class WorkerFileSink implements ResultFileSink {
  private readonly writer = new BatchedWorker<FileRequest, FileResponse, string>({
    url: new URL("./write-worker.js", import.meta.url),
    // Plain JavaScript with no imports of ours.
    workerOptions: { workerData: { forceMode: narrowingUmask } },
    name: "the result file writer",
    outcome: (r) =>
      "name" in r ? { value: r.name } : { error: new FileSinkError(r.error.stage, r.error.code, r.error.message, r.error.candidate) },
    lost: (error) => new FileSinkError("write", undefined, error.message, undefined),
  });

  create(dir: string, name: string, text: string): Promise<string> {
    return this.writer.call((id) => ({ id, dir, name, text })).done;
  }

  warm(): void {
    this.writer.warm();
  }
}

let shared: WorkerFileSink | undefined;

/** The process's result file worker, started on first write. */
export function workerFileSink(): ResultFileSink {
  shared ??= new WorkerFileSink();
  return shared;
}
