/**
 * Which jobs have an execution running right now, kept from the scheduler's
 * events so that a job's Status and the JobService's RunningJobs cost a map
 * lookup instead of a scan of the execution history.
 */
import type { Execution } from "../../src/executions/types.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";

export class RunningJobs {
  /** Running executions per job id. */
  private readonly counts = new Map<string, Set<string>>();

  /**
   * Starts listening and counts what is running already. Build it once the
   * scheduler has started (its store is open); both happen in the same turn,
   * so no execution is missed or counted twice.
   */
  constructor(scheduler: Scheduler) {
    for (const execution of scheduler.listExecutions({ state: "Running" }).items) this.started(execution);
    scheduler.on("executionStarted", (e) => this.started(e));
    scheduler.on("executionFinished", (e) => this.finished(e));
  }

  isRunning(jobId: string): boolean {
    return this.counts.has(jobId);
  }

  /** Jobs with at least one execution running. */
  get size(): number {
    return this.counts.size;
  }

  private started(execution: Execution): void {
    const ids = this.counts.get(execution.jobId) ?? new Set<string>();
    ids.add(execution.id);
    this.counts.set(execution.jobId, ids);
  }

  private finished(execution: Execution): void {
    const ids = this.counts.get(execution.jobId);
    if (!ids) return;
    ids.delete(execution.id);
    if (ids.size === 0) this.counts.delete(execution.jobId);
  }
}
