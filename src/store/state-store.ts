/**
 * What every store built on a StoreState shares: reads answered from the
 * working set in memory, each write turned into one StoreOp, and retention
 * applied as executions are saved. A store adds only how a change is made
 * durable (write) and how it opens, flushes and closes.
 */
import type { Execution, TargetResult } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import { SweepTimer } from "./retention-sweep.js";
import { StoreState, type StoreOp } from "./store-state.js";
import { DEFAULT_RETENTION, type ExecutionQuery, type Page, type RetentionPolicy, type Store } from "./store.js";

/** The options every such store takes. */
export interface StateStoreOptions {
  /** Execution history kept per job; default 100 runs and 30 days. */
  retention?: Partial<RetentionPolicy>;
  /** Time source for retention by age. */
  now?: () => number;
}

export abstract class StateStore implements Store {
  /** The working set: jobs, executions by job, and records. */
  protected readonly state = new StoreState();
  protected readonly now: () => number;
  private readonly retention: RetentionPolicy;
  private readonly sweep = new SweepTimer();

  protected constructor(options: StateStoreOptions) {
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.now = options.now ?? Date.now;
  }

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
  abstract flush(): Promise<void>;

  /**
   * Applies the change to the working set at once, and resolves when it is
   * durable (for this store); a change that cannot be made durable is taken
   * back out of memory and the promise rejects.
   */
  protected abstract write(change: StoreOp): Promise<void>;

  /**
   * The stored objects themselves: the one caller (the scheduler, at start)
   * takes them over, and with 100 000 jobs a second copy would double the memory.
   */
  listJobs(): Job[] {
    return this.state.listJobs();
  }

  saveJob(job: Job): Promise<void> {
    return this.write({ op: "putJob", job });
  }

  saveJobRun(id: string, run: Pick<Job, "nextRunAt" | "lastRunAt" | "runCount">): Promise<void> {
    return this.write({ op: "putJobRun", id, nextRunAt: run.nextRunAt, lastRunAt: run.lastRunAt, runCount: run.runCount });
  }

  deleteJob(id: string): Promise<void> {
    return this.write({ op: "deleteJob", id });
  }

  /** Saves the run, then drops what retention no longer keeps (a failed drop is retried by the next save). */
  saveExecution(execution: Execution): Promise<void> {
    const saved = this.write({ op: "putExecution", execution });
    const now = this.now();
    const expired = this.state.expiredExecutions(execution.jobId, this.retention, now, this.sweep.due(now));
    for (let i = 0; i < expired.length; i++) void this.write({ op: "deleteExecution", id: expired[i]! }).catch(() => undefined);
    return saved;
  }

  /** One target's result within a saved run: its progress is kept without rewriting the whole run. */
  saveTargetResult(executionId: string, step: number, index: number, result: TargetResult): Promise<void> {
    return this.write({ op: "putTarget", executionId, step, index, result });
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

  saveRecord<T>(kind: string, id: string, value: T): Promise<void> {
    return this.write({ op: "putRecord", kind, id, value });
  }

  deleteRecord(kind: string, id: string): Promise<void> {
    return this.write({ op: "deleteRecord", kind, id });
  }
}
