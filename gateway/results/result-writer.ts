/**
 * Result files in LOGS_DIR: one per machine per action per execution, plus one
 * summary per execution, named as MultiFish names them so existing log tooling
 * keeps working:
 *
 *   {JobId}_{MachineId}_{Action}_{YYYYMMDD_HHMMSS}_{success|error}.json
 *   {JobId}_{ExecutionId}_summary.json
 *
 * Each file appears whole or not at all (written to a temp file, then
 * hard-linked into place, which fails instead of replacing an existing file),
 * is never overwritten (a taken name gets `-2`, `-3`... before `.json`), has
 * mode 0644, and holds no credentials. The files themselves are written off the
 * main thread (worker-file-sink.ts).
 */
import { mkdir, stat, statfs, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RequestRecord } from "../bmc/errors.js";
import { isSecretName } from "../secret-names.js";
import { FileSinkError, workerFileSink, type ResultFileSink } from "./worker-file-sink.js";

export type ResultWriteErrorCode = "ResultDirUnwritable" | "ResultWriteFailed";

/** Writing a result failed; `code` says whether the directory itself is the problem. */
export class ResultWriteError extends Error {
  readonly code: ResultWriteErrorCode;
  readonly dir: string;
  /** The file system's code (EACCES, ENOSPC, EROFS, ENOTDIR...). */
  readonly fsCode: string | undefined;

  constructor(code: ResultWriteErrorCode, dir: string, message: string, cause: unknown) {
    super(message, { cause });
    this.name = "ResultWriteError";
    this.code = code;
    this.dir = dir;
    this.fsCode = fsCodeOf(cause);
  }
}

export function isResultWriteError(value: unknown): value is ResultWriteError {
  return value instanceof ResultWriteError;
}

/** One request as the result file lists it. */
/** What the gateway knows about one machine's task when it ends. */
export interface MachineResult {
  jobId: string;
  executionId: string;
  machineId: string;
  action: string;
  step: string;
  status: "Success" | "Error";
  message: string;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; also the file name's timestamp. */
  endedAt: string;
  attempts: number;
  payload: unknown;
  /** On error: the BmcError's type ("Timeout", "HttpError"...). */
  errorType?: string | null;
  /** On error: what the BMC said (status, its @Message.ExtendedInfo as returned...). */
  errorDetail?: unknown;
  requests?: RequestRecord[];
  /** Whether the run changed the machine (false: it already held the desired values, nothing was sent). */
  changed?: boolean;
  /** Values of exactly the properties the action set, per manager: as read before the PATCH, and read again after it. */
  before?: unknown;
  after?: unknown;
}

export interface SummaryMachine {
  machineId: string;
  step: string;
  action: string;
  status: string;
  attempts?: number;
  errorType?: string | null;
  message?: string | null;
  /** The machine's result file name (in the same directory). */
  resultFile?: string | null;
}

export interface ExecutionSummary {
  jobId: string;
  executionId: string;
  state: string;
  health: string | null;
  trigger?: string;
  reason?: string | null;
  scheduledFor?: string | null;
  startedAt: string | null;
  endedAt: string | null;
  machines: SummaryMachine[];
}

/** The `YYYYMMDD_HHMMSS` UTC stamp of an ISO time. */
export function fileStamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new TypeError(`Not a time: ${iso}`);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** Ids are meant to be file-name-safe already; anything else becomes `_` so a name can never escape the directory. */
export function safeNamePart(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
  return cleaned === "" ? "_" : cleaned;
}

export function machineResultFileName(r: Pick<MachineResult, "jobId" | "machineId" | "action" | "endedAt" | "status">): string {
  const outcome = r.status === "Success" ? "success" : "error";
  return `${safeNamePart(r.jobId)}_${safeNamePart(r.machineId)}_${safeNamePart(r.action)}_${fileStamp(r.endedAt)}_${outcome}.json`;
}

export function summaryFileName(jobId: string, executionId: string): string {
  return `${safeNamePart(jobId)}_${safeNamePart(executionId)}_summary.json`;
}

/**
 * `value` without any property whose name says it holds a credential: a deep
 * copy where one is there, `value` itself where none is (what comes back is
 * serialised, never changed). Each machine's result passes its payload, BMC
 * requests and snapshots through here, almost never with a credential in
 * them: copying them all made garbage on the main thread for every machine.
 */
export function withoutCredentials(value: unknown): unknown {
  return mayHoldSecret(value) ? stripped(value) : value;
}

function stripped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripped);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (!isSecretName(k)) out[k] = stripped(v);
    }
    return out;
  }
  return value;
}

/** True when a property name anywhere in `value` is a secret's, or `value` holds something other than plain data (stripped() makes that plain). */
function mayHoldSecret(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (mayHoldSecret(item)) return true;
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return true;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (isSecretName(key) || mayHoldSecret((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function utcSeconds(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The result file's content: MultiFish's snake_case fields plus Shoal's. */
export function machineResultDocument(r: MachineResult): Record<string, unknown> {
  const durationMs = Math.max(0, Date.parse(r.endedAt) - Date.parse(r.startedAt));
  const doc: Record<string, unknown> = {
    job_id: r.jobId,
    machine_id: r.machineId,
    action: r.action,
    timestamp: utcSeconds(r.endedAt),
    status: r.status,
    message: r.message,
    duration: `${durationMs}ms`,
    error_type: r.errorType ?? null,
    error_detail: r.errorDetail === undefined ? null : r.errorDetail,
    payload: r.payload ?? null,
    execution_id: r.executionId,
    step: r.step,
    attempts: r.attempts,
    started_at: r.startedAt,
    ended_at: r.endedAt,
    requests: r.requests ?? [],
  };
  if (r.changed !== undefined) Object.assign(doc, { changed: r.changed, before: withoutCredentials(r.before ?? null), after: withoutCredentials(r.after ?? null) });
  // The other fields are Shoal's own strings and numbers; only these come from a job or a BMC.
  doc.payload = withoutCredentials(doc.payload);
  doc.error_detail = withoutCredentials(doc.error_detail);
  doc.requests = withoutCredentials(doc.requests);
  return doc;
}

export function summaryDocument(s: ExecutionSummary): Record<string, unknown> {
  const succeeded = s.machines.filter((m) => m.status === "Success").length;
  const failed = s.machines.filter((m) => m.status === "Error").length;
  return withoutCredentials({
    job_id: s.jobId,
    execution_id: s.executionId,
    state: s.state,
    health: s.health,
    trigger: s.trigger ?? null,
    reason: s.reason ?? null,
    scheduled_for: s.scheduledFor ?? null,
    started_at: s.startedAt,
    ended_at: s.endedAt,
    summary: { machines: s.machines.length, succeeded, failed, other: s.machines.length - succeeded - failed },
    machines: s.machines.map((m) => ({
      machine_id: m.machineId,
      step: m.step,
      action: m.action,
      status: m.status,
      attempts: m.attempts ?? null,
      error_type: m.errorType ?? null,
      message: m.message ?? null,
      result_file: m.resultFile ?? null,
    })),
  }) as Record<string, unknown>;
}

function fsCodeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

const DIR_PROBLEMS = new Set(["EACCES", "EPERM", "EROFS", "ENOTDIR", "ENOENT", "EEXIST"]);
/** Below this much free space the pre-flight check refuses to start a run: its result files would not fit. */
const DEFAULT_MIN_FREE_BYTES = 1024 * 1024;

function reasonOf(code: string | undefined, error: unknown): string {
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOTDIR" || code === "EEXIST") return "a path component is not a directory";
  if (code === "ENOSPC") return "no space left on device";
  if (code === "EDQUOT") return "disk quota exceeded";
  return error instanceof Error ? error.message : String(error);
}

/** Free bytes for an unprivileged writer on the file system holding `dir`. */
async function statfsFreeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

export interface ResultWriterOptions {
  dir: string;
  /** Where files are written; the process's writer thread by default. Tests inject failures here. */
  sink?: ResultFileSink;
  /** Free space on the directory's file system; fs.statfs by default. */
  freeBytes?: (dir: string) => Promise<number>;
  /** check() fails below this; default 1 MiB. */
  minFreeBytes?: number;
}

export class ResultWriter {
  readonly dir: string;
  private ready: Promise<void> | undefined;
  private readonly sink: ResultFileSink;
  private readonly freeBytes: (dir: string) => Promise<number>;
  private readonly minFreeBytes: number;
  private probes = 0;

  constructor(options: ResultWriterOptions) {
    this.dir = options.dir;
    this.sink = options.sink ?? workerFileSink();
    this.freeBytes = options.freeBytes ?? statfsFreeBytes;
    this.minFreeBytes = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
    // A thread takes a while to start on a busy host; start it before the first run needs it.
    this.sink.warm?.();
  }

  /**
   * Makes sure the directory exists, has room and takes files; throws
   * ResultDirUnwritable with the reason otherwise. Call it when an execution
   * starts to fail early. The probe has content: on a full disk creating an
   * empty file still succeeds, writing a byte does not.
   */
  async check(): Promise<void> {
    await this.ensureDir();
    let free: number;
    try {
      free = await this.freeBytes(this.dir);
    } catch (error) {
      throw this.dirError(error);
    }
    if (free < this.minFreeBytes) {
      const error = Object.assign(new Error(`no space left on device (${free} bytes free, ${this.minFreeBytes} needed)`), { code: "ENOSPC" });
      throw new ResultWriteError("ResultDirUnwritable", this.dir, `Cannot write result files to ${this.dir}: ${error.message} (ENOSPC)`, error);
    }
    const probe = join(this.dir, `.probe.${process.pid}.${++this.probes}.tmp`);
    try {
      await writeFile(probe, PROBE_CONTENT, { flag: "w" });
    } catch (error) {
      await unlink(probe).catch(() => undefined);
      throw this.dirError(error);
    }
    await unlink(probe).catch((error: unknown) => {
      throw this.dirError(error);
    });
  }

  /** Writes one machine's result; resolves with the file name used (in `dir`). */
  async writeMachineResult(result: MachineResult): Promise<string> {
    return this.writeNew(machineResultFileName(result), machineResultDocument(result));
  }

  /** Writes an execution's summary; resolves with the file name used. */
  async writeSummary(summary: ExecutionSummary): Promise<string> {
    return this.writeNew(summaryFileName(summary.jobId, summary.executionId), summaryDocument(summary));
  }

  private ensureDir(): Promise<void> {
    if (!this.ready) {
      this.ready = mkdir(this.dir, { recursive: true })
        .then(async () => {
          if (!(await stat(this.dir)).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
        })
        .catch((error: unknown) => {
          this.ready = undefined; // the operator may fix it; try again next time
          throw this.dirError(error);
        });
    }
    return this.ready;
  }

  private dirError(error: unknown): ResultWriteError {
    if (error instanceof ResultWriteError) return error;
    const code = fsCodeOf(error);
    return new ResultWriteError("ResultDirUnwritable", this.dir, `Cannot write result files to ${this.dir}: ${reasonOf(code, error)}${code ? ` (${code})` : ""}`, error);
  }

  private async writeNew(name: string, doc: unknown): Promise<string> {
    await this.ensureDir();
    // Compact: pretty-printing doubled the bytes and the time; every reader parses JSON.
    const text = JSON.stringify(doc) + "\n";
    try {
      return await this.sink.create(this.dir, name, text);
    } catch (error) {
      const code = fsCodeOf(error);
      if (error instanceof FileSinkError && error.stage === "write" && code && DIR_PROBLEMS.has(code)) throw this.dirError(error);
      const which = error instanceof FileSinkError && error.candidate ? error.candidate : name;
      const why = code ? `${reasonOf(code, error)} (${code})` : error instanceof Error ? error.message : String(error);
      throw new ResultWriteError("ResultWriteFailed", this.dir, `Cannot write result file ${which} in ${this.dir}: ${why}`, error);
    }
  }
}

/** A few bytes, so a full disk fails the probe (an empty file needs no data block). */
const PROBE_CONTENT = "shoal result directory probe\n";
