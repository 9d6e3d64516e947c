import type { Execution, ExecutionState, TargetResult } from "../executions/types.js";
import type { Job } from "../jobs/types.js";

/** Filters and paging for listExecutions; results are newest first. */
export interface ExecutionQuery {
  /** Only this job's runs. */
  jobId?: string;
  /** Only runs in this state. */
  state?: ExecutionState;
  /** Matches to skip. */
  offset?: number;
  /** At most this many. */
  limit?: number;
}

/** One page of a list, and how many matched in all. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** How much execution history a store keeps per job (running executions are never pruned). */
export interface RetentionPolicy {
  /** Executions kept per job; the oldest finished ones go first (never a running or a Halted one, which waits for its resume or revert). */
  maxPerJob: number;
  /** Finished executions older than this are pruned. */
  maxAgeMs: number;
}

/** 100 runs and 30 days per job. */
export const DEFAULT_RETENTION: RetentionPolicy = { maxPerJob: 100, maxAgeMs: 30 * 24 * 3600 * 1000 };

/**
 * Where jobs, executions and an embedder's own records live.
 *
 * Reads are synchronous: every implementation keeps the working set in memory
 * and the scheduler answers reads from it. Writes return a promise that
 * resolves once the change is durable for that implementation, so a caller
 * that awaited a write may tell its user "saved".
 */
export interface Store {
  /** Loads what the store holds. Called once, before anything else. */
  open(): Promise<void>;
  /** Flushes pending writes and releases the store. */
  close(): Promise<void>;
  /** Resolves when every write issued so far is durable. */
  flush(): Promise<void>;

  /**
   * Every stored job. The scheduler calls it once, at start, and takes the
   * objects over as its own working set: a store may hand out the objects it
   * keeps (FileStore, so 100 000 jobs exist once in memory) or copies.
   */
  listJobs(): Job[];
  /** Inserts or replaces a job by id. */
  saveJob(job: Job): Promise<void>;
  /**
   * Records what a run changed on a stored job (nextRunAt, lastRunAt,
   * runCount), without rewriting the whole job: the scheduler does it on
   * every run, and a job with thousands of targets is large. Nothing happens
   * if the job is not stored. Optional: without it the scheduler saves the whole job.
   */
  saveJobRun?(id: string, run: Pick<Job, "nextRunAt" | "lastRunAt" | "runCount">): Promise<void>;
  /** Removes the job and its execution history. */
  deleteJob(id: string): Promise<void>;

  /** Inserts or replaces an execution by id, then applies retention for its job. */
  saveExecution(execution: Execution): Promise<void>;
  /**
   * Records one target's result within a saved execution (the step's index in
   * the run, the target's index in the step), so a run's progress is durable
   * as each machine ends without rewriting the whole run each time. Optional:
   * without it the scheduler saves the whole execution instead.
   */
  saveTargetResult?(executionId: string, step: number, index: number, result: TargetResult): Promise<void>;
  /** The execution with this id, if kept. */
  getExecution(id: string): Execution | undefined;
  /** Newest first (by scheduledFor/startedAt, then id). */
  listExecutions(query?: ExecutionQuery): Page<Execution>;

  /** An embedder's own records, by kind (the gateway keeps machines here). */
  listRecords<T>(kind: string): T[];
  /** Inserts or replaces the record `id` of `kind` (plain JSON data). */
  saveRecord<T>(kind: string, id: string, value: T): Promise<void>;
  /** Removes the record, if there is one. */
  deleteRecord(kind: string, id: string): Promise<void>;
}
