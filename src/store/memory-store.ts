import type { Execution, TargetResult } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import { plainCopy } from "./plain-copy.js";
import { SweepTimer } from "./retention-sweep.js";
import { StoreState } from "./store-state.js";
import { DEFAULT_RETENTION, type ExecutionQuery, type Page, type RetentionPolicy, type Store } from "./store.js";

/** Both optional. */
export interface MemoryStoreOptions {
  /** Execution history kept per job; default 100 runs and 30 days. */
  retention?: Partial<RetentionPolicy>;
  /** Clock for age-based retention; the scheduler passes its own. */
  now?: () => number;
}

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
  private readonly state = new StoreState();
  private readonly retention: RetentionPolicy;
  private readonly now: () => number;
  private readonly sweep = new SweepTimer();

  constructor(options: MemoryStoreOptions = {}) {
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.now = options.now ?? Date.now;
  }

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async flush(): Promise<void> {}

  /** Copies, so a scheduler that takes them over cannot change what was saved. */
  listJobs(): Job[] {
    return this.state.listJobs().map((job) => plainCopy(job));
  }

  async saveJob(job: Job): Promise<void> {
    this.state.apply({ op: "putJob", job: plainCopy(job) });
  }

  async deleteJob(id: string): Promise<void> {
    this.state.apply({ op: "deleteJob", id });
  }

  async saveExecution(execution: Execution): Promise<void> {
    this.state.apply({ op: "putExecution", execution: plainCopy(execution) });
    const now = this.now();
    for (const id of this.state.expiredExecutions(execution.jobId, this.retention, now, this.sweep.due(now))) {
      this.state.apply({ op: "deleteExecution", id });
    }
  }

  async saveTargetResult(executionId: string, step: number, index: number, result: TargetResult): Promise<void> {
    this.state.apply({ op: "putTarget", executionId, step, index, result: plainCopy(result) });
  }

  getExecution(id: string): Execution | undefined {
    return this.state.getExecution(id);
  }

  listExecutions(query?: ExecutionQuery): Page<Execution> {
    return this.state.listExecutions(query);
  }

  listRecords<T>(kind: string): T[] {
    return this.state.listRecords<T>(kind);
  }

  async saveRecord<T>(kind: string, id: string, value: T): Promise<void> {
    this.state.apply({ op: "putRecord", kind, id, value: plainCopy(value) });
  }

  async deleteRecord(kind: string, id: string): Promise<void> {
    this.state.apply({ op: "deleteRecord", kind, id });
  }
}
