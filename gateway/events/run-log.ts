/**
 * A log per run: what the gateway did for each machine, one JSON object per
 * line. Built from the scheduler's events (taskRetrying for every attempt
 * that is tried again, taskFinished for the last), which carry the BMC
 * requests each attempt recorded: method, path, status, duration; then the
 * retry and its reason, or the error, or the result.
 *
 * The logs of the latest runs are kept in memory; with a directory, each
 * run's lines are also appended to `<dir>/<executionId>.jsonl`, so a log
 * outlives the process, for as long as the run is kept: a log whose run the
 * scheduler no longer has (retention dropped it, or its job was deleted) is
 * removed by a sweep of the directory every so often, as new runs log.
 * Lines also go to the event stream (MachineLog) when someone asked for them
 * there.
 */
import { appendFile, mkdir, readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { TaskError } from "../../src/executions/types.js";
import type { TaskFinishedEvent, TaskRetryingEvent } from "../../src/scheduler/events.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { Logger } from "../log.js";
import { paths } from "../redfish/paths.js";
import { outcomeFields } from "../results/task-outcome.js";
import type { EventHub } from "./event-hub.js";

export interface RunLogEntry {
  time: string;
  machine: string;
  step: string;
  action: string;
  attempt: number;
  kind: "request" | "retry" | "error" | "result";
  method?: string;
  path?: string;
  /** The BMC's HTTP status; null when no answer came. */
  status?: number | null;
  durationMs?: number;
  errorType?: string;
  message?: string;
  retryInMs?: number;
  /** On the last line of a machine's task ("error", "result"): how it ended (Success, Error, Cancelled...). */
  outcome?: string;
}

export interface RunLogOptions {
  scheduler: Scheduler;
  hub: EventHub;
  /** Whether anyone wants the lines live (an SSE stream or subscription that asked); checked per line. */
  liveWanted: () => boolean;
  log: Logger;
  /** Where logs are also written; memory only when absent. */
  dir?: string;
  /** Runs whose logs stay in memory; default 20. */
  keepRuns?: number;
  /** At most how often the directory is swept of the logs of runs no longer kept; default 10 minutes. */
  sweepEveryMs?: number;
}

const SWEEP_EVERY_MS = 10 * 60_000;
/** What an execution id must look like to name a file here: ids are not paths. */
const FILE_SAFE_ID = /^[A-Za-z0-9._-]+$/;

/** A run's lines, with the file writes still pending for it. */
interface RunLines {
  entries: RunLogEntry[];
  unwritten: string[];
  writing: Promise<void>;
}

export class RunLog {
  private readonly runs = new Map<string, RunLines>();
  private readonly keepRuns: number;
  private readonly detach: () => void;
  private dirReady: Promise<void> | null = null;
  private readonly sweepEveryMs: number;
  private lastSweep = -Infinity;
  private sweeping: Promise<void> | null = null;

  constructor(private readonly o: RunLogOptions) {
    this.keepRuns = o.keepRuns ?? 20;
    this.sweepEveryMs = o.sweepEveryMs ?? SWEEP_EVERY_MS;
    const onRetry = (e: TaskRetryingEvent): void => this.retried(e);
    const onTask = (e: TaskFinishedEvent): void => this.finished(e);
    o.scheduler.on("taskRetrying", onRetry).on("taskFinished", onTask);
    this.detach = () => void o.scheduler.off("taskRetrying", onRetry).off("taskFinished", onTask);
  }

  close(): void {
    this.detach();
  }

  /** Every line of a run, oldest first; [] for a run that logged nothing. */
  async read(executionId: string): Promise<RunLogEntry[]> {
    const inMemory = this.runs.get(executionId);
    if (inMemory) return inMemory.entries;
    if (this.o.dir === undefined || !FILE_SAFE_ID.test(executionId)) return [];
    try {
      const text = await readFile(join(this.o.dir, `${executionId}.jsonl`), "utf8");
      return text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as RunLogEntry);
    } catch {
      return [];
    }
  }

  /** Resolves when every line so far is in its file (and a sweep under way is over). */
  async flush(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.writing));
    await this.sweeping;
  }

  private retried(e: TaskRetryingEvent): void {
    const time = now();
    const lines = requestLines(e.target, e.stepName, e.action, e.attempt, time, { error: e.error });
    lines.push({ machine: e.target, step: e.stepName, action: e.action, attempt: e.attempt, time, kind: "retry", errorType: e.error.type, message: e.error.message, retryInMs: e.delayMs });
    this.add(e.jobId, e.executionId, lines);
  }

  private finished(e: TaskFinishedEvent): void {
    const r = e.result;
    if (r.attempts === 0) return;
    const time = now();
    const lines = requestLines(r.target, e.stepName, e.action, r.attempts, time, r);
    const { target: machine, attempts: attempt } = r;
    if (r.error) lines.push({ machine, step: e.stepName, action: e.action, attempt, time, kind: "error", errorType: r.error.type, message: r.error.message, outcome: r.status });
    else lines.push({ machine, step: e.stepName, action: e.action, attempt, time, kind: "result", message: messageOf(r.output), outcome: r.status });
    this.add(e.jobId, e.executionId, lines);
  }

  private add(jobId: string, executionId: string, lines: RunLogEntry[]): void {
    let run = this.runs.get(executionId);
    if (!run) {
      run = { entries: [], unwritten: [], writing: Promise.resolve() };
      this.runs.set(executionId, run);
      this.evict();
      this.sweepIfDue();
    }
    run.entries.push(...lines);
    if (this.o.dir !== undefined) {
      const wasEmpty = run.unwritten.length === 0;
      for (const l of lines) run.unwritten.push(JSON.stringify(l));
      // One append per burst of lines, not one per line.
      if (wasEmpty) run.writing = run.writing.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => this.write(executionId, run));
    }
    if (this.o.liveWanted()) {
      const origin = paths.execution(jobId, executionId);
      for (const l of lines) {
        this.o.hub.publish(
          { key: "MachineLog", args: [l.machine, executionId, describe(l)], origin, resourceType: "JobExecution", detail: { jobId, executionId, log: { ...l } } },
          { replay: false },
        );
      }
    }
  }

  private async write(executionId: string, run: RunLines): Promise<void> {
    const dir = this.o.dir!;
    const text = run.unwritten.join("\n") + "\n";
    run.unwritten = [];
    try {
      this.dirReady ??= mkdir(dir, { recursive: true }).then(() => undefined);
      await this.dirReady;
      await appendFile(join(dir, `${executionId}.jsonl`), text);
    } catch (error) {
      this.o.log.error("could not write a run log", { executionId, error: String(error) });
    }
  }

  /**
   * A new run is logging: the scheduler is running with its store loaded, so
   * a file whose run it does not know is one it dropped. Not at construction,
   * when the store may not be read yet.
   */
  private sweepIfDue(): void {
    const dir = this.o.dir;
    if (dir === undefined || this.sweeping !== null || Date.now() - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = Date.now();
    this.sweeping = this.sweep(dir).finally(() => (this.sweeping = null));
  }

  private async sweep(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return; // Nothing written yet.
    }
    let removed = 0;
    for (const name of names) {
      const id = name.endsWith(".jsonl") ? name.slice(0, -".jsonl".length) : "";
      if (!FILE_SAFE_ID.test(id) || this.runs.has(id) || this.o.scheduler.hasExecution(id)) continue;
      try {
        await unlink(join(dir, name));
        removed++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.o.log.error("could not remove a run log", { file: name, error: String(error) });
      }
    }
    if (removed > 0) this.o.log.info("removed the logs of runs no longer kept", { count: removed });
  }

  private evict(): void {
    while (this.runs.size > this.keepRuns) {
      const [oldest, run] = this.runs.entries().next().value ?? [];
      if (oldest === undefined || run === undefined) return;
      // A run whose lines are not all in its file yet stays until they are.
      if (this.o.dir !== undefined && run.unwritten.length > 0) return;
      this.runs.delete(oldest);
    }
  }
}

function now(): string {
  return new Date().toISOString();
}

/**
 * One line per request the attempt made, stamped with the time the event came (the
 * task's lines are written together). Built field by field with one clock read per
 * event: this runs for every machine of every run, on the thread that serves the API.
 */
function requestLines(machine: string, step: string, action: string, attempt: number, time: string, source: { output?: unknown; error?: TaskError | unknown }): RunLogEntry[] {
  const requests = outcomeFields(source).requests;
  const lines: RunLogEntry[] = [];
  for (const q of requests) {
    const entry: RunLogEntry = { machine, step, action, attempt, time, kind: "request", method: q.method, path: q.uri, status: q.status, durationMs: q.duration_ms };
    if (q.error_type !== undefined) entry.errorType = q.error_type;
    lines.push(entry);
  }
  return lines;
}

function messageOf(output: unknown): string {
  const m = typeof output === "object" && output !== null ? (output as { message?: unknown }).message : undefined;
  return typeof m === "string" ? m : "OK";
}

function describe(l: RunLogEntry): string {
  switch (l.kind) {
    case "request":
      return `${l.method ?? ""} ${l.path ?? ""} -> ${l.status ?? l.errorType ?? "no answer"} in ${l.durationMs ?? 0} ms`;
    case "retry":
      return `attempt ${l.attempt} failed (${l.errorType ?? ""}: ${l.message ?? ""}); retrying in ${l.retryInMs ?? 0} ms`;
    case "error":
      return `failed after ${l.attempt} attempt(s): ${l.errorType ?? ""}: ${l.message ?? ""}`;
    case "result":
      return `succeeded: ${l.message ?? "OK"}`;
  }
}
