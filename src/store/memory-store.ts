import { isFinal, type Execution } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import { plainCopy } from "./plain-copy.js";
import { DEFAULT_RETENTION, type ExecutionQuery, type Page, type RetentionPolicy, type Store } from "./store.js";

export interface MemoryStoreOptions {
  retention?: Partial<RetentionPolicy>;
  /** Clock for age-based retention; the scheduler passes its own. */
  now?: () => number;
}

/** How often the age-based pruning scans everything; per-job limits apply on every save. */
const AGE_SWEEP_INTERVAL_MS = 60_000;

/**
 * The Store kept in process memory: for tests, and for embedders that need no
 * durability. Every write stores a copy, so later changes to the caller's object
 * do not leak in, just as they would not reach a file. Reads return the stored
 * objects themselves, for speed; treat them as read-only.
 *
 * open() and close() keep the data, so a second scheduler can be started on the
 * same instance to play a process restart.
 */
export class MemoryStore implements Store {
  private readonly jobs = new Map<string, Job>();
  private readonly executions = new Map<string, Execution>();
  private readonly executionsByJob = new Map<string, Set<string>>();
  private readonly records = new Map<string, Map<string, unknown>>();
  private readonly retention: RetentionPolicy;
  private readonly now: () => number;
  private lastAgeSweep = -Infinity;

  constructor(options: MemoryStoreOptions = {}) {
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.now = options.now ?? Date.now;
  }

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async flush(): Promise<void> {}

  listJobs(): Job[] {
    return [...this.jobs.values()];
  }

  async saveJob(job: Job): Promise<void> {
    this.jobs.set(job.id, plainCopy(job));
  }

  async deleteJob(id: string): Promise<void> {
    this.jobs.delete(id);
    for (const executionId of this.executionsByJob.get(id) ?? []) this.executions.delete(executionId);
    this.executionsByJob.delete(id);
  }

  async saveExecution(execution: Execution): Promise<void> {
    this.executions.set(execution.id, plainCopy(execution));
    let ids = this.executionsByJob.get(execution.jobId);
    if (!ids) this.executionsByJob.set(execution.jobId, (ids = new Set()));
    ids.add(execution.id);
    this.applyRetention(ids);
  }

  getExecution(id: string): Execution | undefined {
    return this.executions.get(id);
  }

  listExecutions(query: ExecutionQuery = {}): Page<Execution> {
    let items: Execution[];
    if (query.jobId !== undefined) {
      items = [...(this.executionsByJob.get(query.jobId) ?? [])].map((id) => this.executions.get(id)!);
    } else {
      items = [...this.executions.values()];
    }
    if (query.state !== undefined) items = items.filter((e) => e.state === query.state);
    items.sort(newestFirst);
    const offset = query.offset ?? 0;
    const end = query.limit === undefined ? undefined : offset + query.limit;
    return { items: items.slice(offset, end), total: items.length };
  }

  listRecords<T>(kind: string): T[] {
    return [...(this.records.get(kind)?.values() ?? [])] as T[];
  }

  async saveRecord<T>(kind: string, id: string, value: T): Promise<void> {
    let records = this.records.get(kind);
    if (!records) this.records.set(kind, (records = new Map()));
    records.set(id, plainCopy(value));
  }

  async deleteRecord(kind: string, id: string): Promise<void> {
    this.records.get(kind)?.delete(id);
  }

  private applyRetention(ids: Set<string>): void {
    if (ids.size > this.retention.maxPerJob) {
      const finished = [...ids].map((id) => this.executions.get(id)!).filter((e) => isFinal(e.state));
      finished.sort(newestFirst);
      let excess = ids.size - this.retention.maxPerJob;
      for (let i = finished.length - 1; i >= 0 && excess > 0; i--, excess--) this.forget(finished[i]!);
    }
    const now = this.now();
    if (now - this.lastAgeSweep < AGE_SWEEP_INTERVAL_MS) return;
    this.lastAgeSweep = now;
    const cutoff = now - this.retention.maxAgeMs;
    for (const execution of [...this.executions.values()]) {
      if (!isFinal(execution.state)) continue;
      const at = Date.parse(execution.endedAt ?? execution.startedAt ?? execution.scheduledFor ?? "");
      if (Number.isFinite(at) && at < cutoff) this.forget(execution);
    }
  }

  private forget(execution: Execution): void {
    this.executions.delete(execution.id);
    const ids = this.executionsByJob.get(execution.jobId);
    ids?.delete(execution.id);
    if (ids?.size === 0) this.executionsByJob.delete(execution.jobId);
  }
}

/** Sort order of execution lists: by the instant it was due (or started), newest first, then id. */
export function newestFirst(a: Execution, b: Execution): number {
  const at = a.scheduledFor ?? a.startedAt ?? "";
  const bt = b.scheduledFor ?? b.startedAt ?? "";
  if (at !== bt) return at < bt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
