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
 * mode 0644, and holds no credentials.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, open, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RequestRecord } from "../bmc/errors.js";
import { isSecretName } from "../secret-names.js";

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

/** A deep copy without any property whose name says it holds a credential. */
export function withoutCredentials(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCredentials);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (!isSecretName(k)) out[k] = withoutCredentials(v);
    }
    return out;
  }
  return value;
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
  if (r.changed !== undefined) Object.assign(doc, { changed: r.changed, before: r.before ?? null, after: r.after ?? null });
  return withoutCredentials(doc) as Record<string, unknown>;
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

/** Result files are for every operator to read; a umask that would narrow 0644 is overridden. */
const narrowingUmask = (process.umask() & 0o644) !== 0;

const DIR_PROBLEMS = new Set(["EACCES", "EPERM", "EROFS", "ENOTDIR", "ENOENT", "EEXIST"]);
const MAX_SUFFIX = 1000;

export class ResultWriter {
  readonly dir: string;
  private ready: Promise<void> | undefined;

  constructor(options: { dir: string }) {
    this.dir = options.dir;
  }

  /**
   * Makes sure the directory exists and takes files; throws ResultDirUnwritable
   * with the reason otherwise. Call it when an execution starts to fail early.
   */
  async check(): Promise<void> {
    await this.ensureDir();
    const probe = join(this.dir, `.probe.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      await writeFile(probe, "");
      await unlink(probe);
    } catch (error) {
      throw this.dirError(error);
    }
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
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only file system" : code === "ENOTDIR" || code === "EEXIST" ? "a path component is not a directory" : code === "ENOSPC" ? "no space left on device" : (error instanceof Error ? error.message : String(error));
    return new ResultWriteError("ResultDirUnwritable", this.dir, `Cannot write result files to ${this.dir}: ${why}${code ? ` (${code})` : ""}`, error);
  }

  private async writeNew(name: string, doc: unknown): Promise<string> {
    await this.ensureDir();
    const temp = join(this.dir, `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      // One handle for create + write + close: fs.promises.writeFile(path) costs
      // several times more per file, which shows when 2 000 machines finish at once.
      const handle = await open(temp, "wx", 0o644);
      try {
        await handle.writeFile(JSON.stringify(doc, null, 2) + "\n");
        if (narrowingUmask) await handle.chmod(0o644);
      } finally {
        await handle.close();
      }
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      const code = fsCodeOf(error);
      if (code && DIR_PROBLEMS.has(code)) throw this.dirError(error);
      throw new ResultWriteError("ResultWriteFailed", this.dir, `Cannot write result file ${name} in ${this.dir}: ${code ?? String(error)}`, error);
    }
    try {
      return await this.claimName(temp, name);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Links the temp file under the first free name: `name`, then `-2`, `-3`... */
  private async claimName(temp: string, name: string): Promise<string> {
    const base = name.replace(/\.json$/, "");
    for (let n = 1; n <= MAX_SUFFIX; n++) {
      const candidate = n === 1 ? name : `${base}-${n}.json`;
      try {
        await link(temp, join(this.dir, candidate));
        return candidate;
      } catch (error) {
        const code = fsCodeOf(error);
        if (code === "EEXIST") continue;
        if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EXDEV") {
          // No hard links on this file system: check-then-rename (not race-free, still atomic content).
          if (await this.exists(candidate)) continue;
          await rename(temp, join(this.dir, candidate));
          return candidate;
        }
        throw new ResultWriteError("ResultWriteFailed", this.dir, `Cannot write result file ${candidate} in ${this.dir}: ${code ?? String(error)}`, error);
      }
    }
    throw new ResultWriteError("ResultWriteFailed", this.dir, `More than ${MAX_SUFFIX} result files named ${name} in ${this.dir}`, undefined);
  }

  private async exists(name: string): Promise<boolean> {
    try {
      await stat(join(this.dir, name));
      return true;
    } catch {
      return false;
    }
  }
}
