/**
 * Bookkeeping writes (nextRunAt, lastRunAt, runCount, a run's first record, a
 * skipped run) are batched and issued right after the current burst of work,
 * so a thousand jobs falling due at once start their actions before any
 * copying for the store happens. Each write copies the live object when
 * issued, so the store gets the latest state. A failure is logged, not thrown
 * at a timer.
 *
 * Reads never issue writes: they read through the batch (getExecution,
 * listExecutions), which answers as the store will once the batch is written.
 */
import { isFinal, type Execution } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import { newestFirst } from "../store/store-state.js";
import type { ExecutionQuery, Page, Store } from "../store/store.js";
import type { Logger } from "./logger.js";

export interface WriteBatchEnvironment {
  store: Store;
  logger: Logger;
  /** The scheduler's jobs: a job replaced or deleted meanwhile is not written, nor are its runs. */
  jobs: ReadonlyMap<string, Job>;
}

export class WriteBatch {
  private readonly jobs = new Set<Job>();
  private readonly executions = new Map<string, Execution>();
  private scheduled = false;

  constructor(private readonly env: WriteBatchEnvironment) {}

  /** Saves the job with the next batch, if it is still the scheduler's current object for its id. */
  addJob(job: Job): void {
    if (this.env.jobs.get(job.id) !== job) return;
    this.jobs.add(job);
    this.schedule();
  }

  /** Saves the (live) record with the next batch. */
  addExecution(record: Execution): void {
    this.executions.set(record.id, record);
    this.schedule();
  }

  /** Whether the record waits in the batch: its next write will carry its state as it is then. */
  holds(id: string): boolean {
    const record = this.executions.get(id);
    return record !== undefined && this.writable(record);
  }

  /** The store's execution as it will be once the batch is written. */
  getExecution(id: string): Execution | undefined {
    const record = this.executions.get(id);
    return record && this.writable(record) ? record : this.env.store.getExecution(id);
  }

  /**
   * The store's answer as it will be once the batch is written: records still
   * waiting replace (or join) the stored ones, filtered, ordered and paged as
   * the store does. With nothing waiting for the query, the store answers alone.
   */
  listExecutions(query: ExecutionQuery = {}): Page<Execution> {
    const { store } = this.env;
    const pending = [...this.executions.values()].filter((e) => this.writable(e) && (query.jobId === undefined || e.jobId === query.jobId));
    if (pending.length === 0) return store.listExecutions(query);
    const replaced = new Set(pending.map((e) => e.id));
    const { offset, limit, ...filter } = query;
    const items = [
      ...store.listExecutions(filter).items.filter((e) => !replaced.has(e.id)),
      ...pending.filter((e) => query.state === undefined || e.state === query.state),
    ].sort(newestFirst);
    const start = Math.max(0, offset ?? 0);
    const end = limit === undefined ? undefined : start + Math.max(0, limit);
    return { items: items.slice(start, end), total: items.length };
  }

  /** Issues every batched write now; resolves when they are durable. */
  flush(): Promise<void> {
    this.scheduled = false;
    if (this.jobs.size === 0 && this.executions.size === 0) return Promise.resolve();
    const { store, logger } = this.env;
    const writes: Promise<void>[] = [];
    for (const job of this.jobs) {
      if (this.env.jobs.get(job.id) !== job) continue;
      writes.push(store.saveJob(job).catch((error: unknown) => logger.error("could not save job", { jobId: job.id, error: String(error) })));
    }
    this.jobs.clear();
    for (const record of this.executions.values()) {
      if (!this.writable(record)) continue;
      writes.push(
        store.saveExecution(record).catch((error: unknown) => logger.error("could not save execution", { executionId: record.id, error: String(error) })),
      );
    }
    this.executions.clear();
    return Promise.all(writes).then(() => undefined);
  }

  /** A run that already ended was saved by its own final write; a deleted job's runs are gone. */
  private writable(record: Execution): boolean {
    return this.env.jobs.has(record.jobId) && (record.state === "Skipped" || !isFinal(record.state));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }
}
