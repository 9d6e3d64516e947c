/**
 * The working set every store keeps in memory: jobs, executions indexed by
 * job, and embedders' records. Changes arrive as operations, the same ones a
 * durable store writes to its journal, so replaying a journal and serving a
 * live change go through one code path.
 */
import type { Execution, TargetResult } from "../executions/types.js";
import { isFinal } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import type { ExecutionQuery, Page, RetentionPolicy } from "./store.js";

export type StoreOp =
  | { op: "putJob"; job: Job }
  /** What a run changed on a stored job: its counters and next instant, without the rest of it. */
  | { op: "putJobRun"; id: string; nextRunAt: string | null; lastRunAt: string | null; runCount: number }
  | { op: "deleteJob"; id: string }
  | { op: "putExecution"; execution: Execution }
  | { op: "deleteExecution"; id: string }
  /** One target's result within a stored execution: a run's progress without rewriting the whole run. */
  | { op: "putTarget"; executionId: string; step: number; index: number; result: TargetResult }
  | { op: "putRecord"; kind: string; id: string; value: unknown }
  | { op: "deleteRecord"; kind: string; id: string };

/** The whole state as one JSON-friendly value: what a snapshot holds. */
export interface StateData {
  jobs: Job[];
  executions: Execution[];
  records: Record<string, Record<string, unknown>>;
}

export class StoreState {
  private readonly jobs = new Map<string, Job>();
  private readonly executions = new Map<string, Execution>();
  /** Execution ids per job, oldest first. */
  private readonly byJob = new Map<string, string[]>();
  private readonly records = new Map<string, Map<string, unknown>>();

  apply(change: StoreOp): void {
    switch (change.op) {
      case "putJob":
        this.jobs.set(change.job.id, change.job);
        return;
      case "putJobRun": {
        // In place: a FileStore's or PgStore's stored job is the scheduler's own object (one copy of each job in memory), which already says this.
        const job = this.jobs.get(change.id);
        if (!job) return;
        job.nextRunAt = change.nextRunAt;
        job.lastRunAt = change.lastRunAt;
        job.runCount = change.runCount;
        return;
      }
      case "deleteJob":
        this.jobs.delete(change.id);
        for (const id of this.byJob.get(change.id) ?? []) this.executions.delete(id);
        this.byJob.delete(change.id);
        return;
      case "putExecution": {
        const e = change.execution;
        if (!this.executions.has(e.id)) {
          const ids = this.byJob.get(e.jobId);
          if (ids) ids.push(e.id);
          else this.byJob.set(e.jobId, [e.id]);
        }
        this.executions.set(e.id, e);
        return;
      }
      case "deleteExecution": {
        const e = this.executions.get(change.id);
        if (!e) return;
        this.executions.delete(change.id);
        const ids = this.byJob.get(e.jobId);
        if (ids) {
          const at = ids.indexOf(change.id);
          if (at >= 0) ids.splice(at, 1);
          if (ids.length === 0) this.byJob.delete(e.jobId);
        }
        return;
      }
      case "putTarget": {
        // An execution deleted (or not yet written) meanwhile: the line has nothing to update.
        const targets = this.executions.get(change.executionId)?.steps[change.step]?.targets;
        if (targets && change.index >= 0 && change.index < targets.length) targets[change.index] = change.result;
        return;
      }
      case "putRecord": {
        let kind = this.records.get(change.kind);
        if (!kind) this.records.set(change.kind, (kind = new Map()));
        kind.set(change.id, change.value);
        return;
      }
      case "deleteRecord":
        this.records.get(change.kind)?.delete(change.id);
        return;
    }
  }

  /**
   * The changes that undo `change`, computed before it is applied: a write
   * that could not be made durable is taken back out of memory with them.
   */
  inverseOf(change: StoreOp): StoreOp[] {
    switch (change.op) {
      case "putJob": {
        const prior = this.jobs.get(change.job.id);
        return [prior ? { op: "putJob", job: prior } : { op: "deleteJob", id: change.job.id }];
      }
      case "putJobRun": {
        const prior = this.jobs.get(change.id);
        return prior ? [{ op: "putJobRun", id: prior.id, nextRunAt: prior.nextRunAt, lastRunAt: prior.lastRunAt, runCount: prior.runCount }] : [];
      }
      case "deleteJob": {
        const prior = this.jobs.get(change.id);
        const executions = (this.byJob.get(change.id) ?? []).map((id) => this.executions.get(id) as Execution);
        return [
          ...(prior ? [{ op: "putJob" as const, job: prior }] : []),
          ...executions.map((execution) => ({ op: "putExecution" as const, execution })),
        ];
      }
      case "putExecution": {
        const prior = this.executions.get(change.execution.id);
        return [prior ? { op: "putExecution", execution: prior } : { op: "deleteExecution", id: change.execution.id }];
      }
      case "deleteExecution": {
        const prior = this.executions.get(change.id);
        return prior ? [{ op: "putExecution", execution: prior }] : [];
      }
      case "putTarget": {
        const prior = this.executions.get(change.executionId)?.steps[change.step]?.targets[change.index];
        return prior ? [{ ...change, result: prior }] : [];
      }
      case "putRecord":
      case "deleteRecord": {
        const kind = this.records.get(change.kind);
        return kind?.has(change.id)
          ? [{ op: "putRecord", kind: change.kind, id: change.id, value: kind.get(change.id) }]
          : change.op === "putRecord"
            ? [{ op: "deleteRecord", kind: change.kind, id: change.id }]
            : [];
      }
    }
  }

  listJobs(): Job[] {
    return [...this.jobs.values()];
  }

  getJob(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  getExecution(id: string): Execution | undefined {
    return this.executions.get(id);
  }

  listExecutions(query: ExecutionQuery = {}): Page<Execution> {
    let items: Execution[];
    if (query.jobId !== undefined) {
      items = (this.byJob.get(query.jobId) ?? []).map((id) => this.executions.get(id) as Execution);
    } else {
      items = [...this.executions.values()];
    }
    items.sort(newestFirst);
    if (query.state !== undefined) items = items.filter((e) => e.state === query.state);
    const offset = Math.max(0, query.offset ?? 0);
    const end = query.limit === undefined ? undefined : offset + Math.max(0, query.limit);
    return { items: items.slice(offset, end), total: items.length };
  }

  listRecords<T>(kind: string): T[] {
    return [...(this.records.get(kind)?.values() ?? [])] as T[];
  }

  /**
   * Ids of the finished executions that retention drops: for `jobId`, those
   * beyond the newest `maxPerJob`; and, for `jobId` or for every job when
   * `everyJob` is set, those ended longer ago than `maxAgeMs`. An execution
   * still running is never dropped.
   */
  expiredExecutions(jobId: string, retention: RetentionPolicy, now: number, everyJob = false): readonly string[] {
    // Called on every save: the common case (a job within its limits, nothing old) allocates nothing.
    let expired: Set<string> | null = null;
    const ids = this.byJob.get(jobId);
    if (ids !== undefined && ids.length > retention.maxPerJob) {
      const own = ids.map((id) => this.executions.get(id) as Execution);
      // A Halted run waits for an operator's resume or revert: like a running one, it counts but is not dropped for the count.
      const finished = own.filter((e) => isFinal(e.state) && e.state !== "Halted").sort(newestFirst);
      let excess = own.length - retention.maxPerJob;
      expired = new Set();
      for (let i = finished.length - 1; i >= 0 && excess > 0; i--, excess--) expired.add(finished[i]!.id);
    }
    const cutoff = CUTOFF.reset(now - retention.maxAgeMs);
    if (everyJob) {
      for (const e of this.executions.values()) if (cutoff.passed(e)) (expired ??= new Set()).add(e.id);
    } else if (ids !== undefined) {
      for (const id of ids) {
        const e = this.executions.get(id) as Execution;
        if (cutoff.passed(e)) (expired ??= new Set()).add(e.id);
      }
    }
    return expired === null || expired.size === 0 ? NONE : [...expired];
  }

  toData(): StateData {
    const records: Record<string, Record<string, unknown>> = {};
    for (const [kind, values] of this.records) records[kind] = Object.fromEntries(values);
    return { jobs: this.listJobs(), executions: [...this.executions.values()], records };
  }

  load(data: StateData): void {
    for (const job of data.jobs) this.apply({ op: "putJob", job });
    for (const execution of data.executions) this.apply({ op: "putExecution", execution });
    for (const [kind, values] of Object.entries(data.records)) {
      for (const [id, value] of Object.entries(values)) this.apply({ op: "putRecord", kind, id, value });
    }
  }
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * Whether a finished execution ended (or started, or was due) before an
 * instant. One instance, reset for each save: an object made per save and
 * dropped after it would let V8 free its class's hidden class (map) once a
 * burst is over, and discard the optimized code of every save with it at the
 * next full collection (V8 holds those maps weakly; see LiveRuns' latestEnded).
 */
class Cutoff {
  private at = 0;
  /** The instant as toISOString writes it, made on first use: canonical stamps compare as strings, without parsing. */
  private iso: string | null | undefined;

  reset(at: number): this {
    this.at = at;
    this.iso = undefined;
    return this;
  }

  passed(e: Execution): boolean {
    if (!isFinal(e.state) || this.at === -Infinity) return false;
    const stamp = e.endedAt ?? e.startedAt ?? e.scheduledFor ?? "";
    if (this.iso === undefined) this.iso = this.at >= 0 && this.at < CANONICAL_UNTIL ? isoOf(this.at) : null;
    if (this.iso !== null && isCanonical(stamp)) return stamp < this.iso;
    const at = Date.parse(stamp);
    return Number.isFinite(at) && at < this.at;
  }
}

const CUTOFF = new Cutoff();

let lastAt = NaN;
let lastIso = "";

/** toISOString, keeping the last answer: saves in one burst share their cutoff. */
function isoOf(at: number): string {
  if (at !== lastAt) {
    lastIso = new Date(at).toISOString();
    lastAt = at;
  }
  return lastIso;
}

/** Year 10000: from there toISOString writes six-digit years, which do not compare as strings. */
const CANONICAL_UNTIL = 253402300800000;

/** "2026-01-01T00:00:00.000Z", as toISOString writes it (the shape the scheduler stores). */
function isCanonical(stamp: string): boolean {
  return (
    stamp.length === 24 &&
    stamp.charCodeAt(23) === 90 /* Z */ &&
    stamp.charCodeAt(10) === 84 /* T */ &&
    stamp.charCodeAt(4) === 45 /* - */ &&
    stamp.charCodeAt(19) === 46 /* . */
  );
}

/** Sort order of execution lists: by the instant it was due (or started), newest first, then id. */
export function newestFirst(a: Execution, b: Execution): number {
  const at = a.scheduledFor ?? a.startedAt ?? "";
  const bt = b.scheduledFor ?? b.startedAt ?? "";
  if (at !== bt) return at < bt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
