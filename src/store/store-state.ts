/**
 * The working set every store keeps in memory: jobs, executions indexed by
 * job, and embedders' records. Changes arrive as operations, the same ones a
 * durable store writes to its journal, so replaying a journal and serving a
 * live change go through one code path.
 */
import type { Execution, TargetResult } from "../executions/types.js";
import { isFinal } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import { agedFrom, JobHistory, oldestFirst } from "./job-history.js";
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
  /** Each job's executions, oldest first. */
  private readonly byJob = new Map<string, JobHistory>();
  private readonly find = (id: string): Execution => this.executions.get(id) as Execution;
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
        for (const id of this.byJob.get(change.id)?.ids ?? []) this.executions.delete(id);
        this.byJob.delete(change.id);
        return;
      case "putExecution": {
        const e = change.execution;
        const prior = this.executions.get(e.id);
        let history = this.byJob.get(e.jobId);
        if (!history) this.byJob.set(e.jobId, (history = new JobHistory()));
        if (prior) history.update(prior, e, this.find);
        else history.insert(e, this.find);
        this.executions.set(e.id, e);
        return;
      }
      case "deleteExecution": {
        const e = this.executions.get(change.id);
        if (!e) return;
        this.executions.delete(change.id);
        const history = this.byJob.get(e.jobId);
        if (history) {
          history.remove(change.id);
          if (history.ids.length === 0) this.byJob.delete(e.jobId);
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
        const executions = (this.byJob.get(change.id)?.ids ?? []).map(this.find);
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
      items = (this.byJob.get(query.jobId)?.ids ?? []).map(this.find);
    } else {
      items = [...this.executions.values()];
    }
    // Filtered first: recovery at start-up asks every execution for the few still Running.
    if (query.state !== undefined) items = items.filter((e) => e.state === query.state);
    items.sort(newestFirst);
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
    // Called on every save: a job under its cap with nothing old enough costs two comparisons and allocates nothing.
    let expired: Set<string> | null = null;
    const history = this.byJob.get(jobId);
    if (history !== undefined && history.ids.length > retention.maxPerJob) {
      // The oldest finished runs go. A Halted run waits for an operator's resume or revert: like a running one, it counts but is not dropped for the count.
      let excess = history.ids.length - retention.maxPerJob;
      expired = new Set();
      for (let i = 0; i < history.ids.length && excess > 0; i++) {
        const e = this.find(history.ids[i]!);
        if (isFinal(e.state) && e.state !== "Halted") {
          expired.add(e.id);
          excess--;
        }
      }
    }
    const cutoff = now - retention.maxAgeMs;
    if (everyJob) for (const each of this.byJob.values()) expired = this.aged(each, cutoff, expired);
    else if (history !== undefined) expired = this.aged(history, cutoff, expired);
    return expired === null || expired.size === 0 ? NONE : [...expired];
  }

  /** Adds the job's finished executions that age from before `cutoff` (ms), if its bound says it may have any, and sets the bound to those it keeps. */
  private aged(history: JobHistory, cutoff: number, expired: Set<string> | null): Set<string> | null {
    if (!(history.finishedFrom < cutoff)) return expired;
    let kept = Infinity;
    for (const id of history.ids) {
      const e = this.find(id);
      if (!isFinal(e.state)) continue;
      const from = agedFrom(e);
      if (from < cutoff) (expired ??= new Set()).add(id);
      else if (from < kept) kept = from;
    }
    history.finishedFrom = kept;
    return expired;
  }

  toData(): StateData {
    const records: Record<string, Record<string, unknown>> = {};
    for (const [kind, values] of this.records) records[kind] = Object.fromEntries(values);
    return { jobs: this.listJobs(), executions: [...this.executions.values()], records };
  }

  load(data: StateData): void {
    for (const job of data.jobs) this.apply({ op: "putJob", job });
    // In age order, each job's runs are appended (a snapshot lists them nearly so: sorting it is close to one pass).
    for (const execution of [...data.executions].sort(oldestFirst)) this.apply({ op: "putExecution", execution });
    for (const [kind, values] of Object.entries(data.records)) {
      for (const [id, value] of Object.entries(values)) this.apply({ op: "putRecord", kind, id, value });
    }
  }
}

const NONE: readonly string[] = Object.freeze([]);

/** Sort order of execution lists: by the instant it was due (or started), newest first, then id. */
export function newestFirst(a: Execution, b: Execution): number {
  return oldestFirst(b, a);
}
