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
import { renewedIfEmpty } from "./burst-collections.js";
import type { Logger } from "./logger.js";

export interface WriteBatchEnvironment {
  store: Store;
  logger: Logger;
  /** The scheduler's jobs: a job replaced or deleted meanwhile is not written, nor are its runs. */
  jobs: ReadonlyMap<string, Job>;
  /**
   * Whether due runs are still being handed out (a burst): the batch waits for
   * the end of it, so that runs start first and the copying for the store comes after.
   */
  busy?: () => boolean;
}

/** How long a batch may wait for a burst to be handed out before it is written anyway. */
const MAX_DEFER_MS = 100;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** One waiter standing for two saves of the same record before it went out (rare). */
function both(a: Waiter, b: Waiter): Waiter {
  return {
    resolve: () => {
      a.resolve();
      b.resolve();
    },
    reject: (error) => {
      a.reject(error);
      b.reject(error);
    },
  };
}

export class WriteBatch {
  // The three collections are renewed when empty (see burst-collections).
  private jobs = new Set<Job>();
  private executions = new Map<string, Execution>();
  /** Saves someone waits on (a run's final record): resolved or rejected with the store's answer. */
  private waiters = new Map<string, Waiter>();
  private scheduled = false;
  private deferredSince = 0;

  constructor(private readonly env: WriteBatchEnvironment) {}

  /** Saves the job with the next batch, if it is still the scheduler's current object for its id. */
  addJob(job: Job): void {
    if (this.env.jobs.get(job.id) !== job) return;
    this.jobs = renewedIfEmpty(this.jobs);
    this.jobs.add(job);
    this.schedule();
  }

  /** Saves the (live) record with the next batch. */
  addExecution(record: Execution): void {
    this.executions = renewedIfEmpty(this.executions);
    this.executions.set(record.id, record);
    this.schedule();
  }

  /**
   * Saves the record with the next batch, whatever its state (a run's final
   * record); resolves once the store has it durably, rejects if it could not.
   */
  save(record: Execution): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiting = this.waiters.get(record.id);
      this.waiters = renewedIfEmpty(this.waiters);
      this.waiters.set(record.id, waiting ? both(waiting, { resolve, reject }) : { resolve, reject });
      this.addExecution(record);
    });
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
    const writes: Promise<void>[] = [];
    this.issue(writes);
    return writes.length === 0 ? Promise.resolve() : Promise.all(writes).then(() => undefined);
  }

  /** Issues every batched write; `writes` (when given) collects them. A failure is logged, or handed to whoever waits on that save. */
  private issue(writes?: Promise<void>[]): void {
    this.scheduled = false;
    this.deferredSince = 0;
    if (this.jobs.size === 0 && this.executions.size === 0) return;
    const { store, logger } = this.env;
    for (const job of this.jobs) {
      if (this.env.jobs.get(job.id) !== job) continue;
      // Only a run's bookkeeping changes a job here (changes to the job itself are saved whole, at once).
      const saved = store.saveJobRun ? store.saveJobRun(job.id, job) : store.saveJob(job);
      const write = saved.catch((error: unknown) => logger.error("could not save job", { jobId: job.id, error: String(error) }));
      writes?.push(write);
    }
    this.jobs.clear();
    for (const record of this.executions.values()) {
      const waiting = this.waiters.get(record.id);
      const writable = this.writable(record);
      if (waiting) this.waiters.delete(record.id);
      if (!writable) {
        waiting?.resolve();
        continue;
      }
      const saved = store.saveExecution(record);
      if (waiting) {
        saved.then(waiting.resolve, waiting.reject);
        writes?.push(saved.catch(() => undefined));
      } else {
        const write = saved.catch((error: unknown) => logger.error("could not save execution", { executionId: record.id, error: String(error) }));
        writes?.push(write);
      }
    }
    this.executions.clear();
  }

  /**
   * A run that ended was saved by its own final write (or has one waiting
   * here); a deleted job's runs are gone.
   */
  private writable(record: Execution): boolean {
    return this.env.jobs.has(record.jobId) && (record.state === "Skipped" || !isFinal(record.state) || this.waiters.has(record.id));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.tick);
  }

  /** The scheduled write: now, unless a burst is still being handed out (then once it is, or after MAX_DEFER_MS). */
  private readonly tick = (): void => {
    if (!this.scheduled) return;
    if (this.env.busy?.()) {
      const now = performance.now();
      if (this.deferredSince === 0) this.deferredSince = now;
      if (now - this.deferredSince < MAX_DEFER_MS) {
        setImmediate(this.tick);
        return;
      }
    }
    this.issue();
  };
}
