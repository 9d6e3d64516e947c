/**
 * The bookkeeping of runs the scheduler is driving: each job's overlap slots
 * (running, and the one waiting its turn under overlap Queue), the record of a
 * run as it starts and as it ends, the events that go with them, and each
 * target's progress as it is saved.
 */
import { isFinal, type Execution, type ExecutionReason, type ExecutionTrigger, type TargetResult, type TaskError } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import { plainCopy } from "../store/plain-copy.js";
import type { Store } from "../store/store.js";
import type { ActionContext, ActionDefinition } from "./actions.js";
import { renewedIfEmpty } from "./burst-collections.js";
import type { Clock } from "./clock.js";
import type { ClusterHooks } from "./cluster-hooks.js";
import type { SchedulerEmitter } from "./events.js";
import { newExecution, skippedExecution } from "./execution-record.js";
import type { IdGenerator } from "./ids.js";
import { LiveExecution, type JobRuntime, type RunBase, type RunOwner } from "./live-execution.js";
import type { Logger } from "./logger.js";
import { storeError } from "./store-error.js";
import type { TargetLocks } from "./target-lock.js";
import { WorkerPool } from "./worker-pool.js";
import type { WriteBatch } from "./write-batch.js";

export { LiveExecution, type JobRuntime } from "./live-execution.js";

/** What a run is other than a fresh one: a given record (a resumed run), a job view and an action call of its own (a revert). */
export interface RunVariant {
  record: Execution;
  job?: Job;
  invoke?: (action: ActionDefinition, ctx: ActionContext) => Promise<unknown>;
}

export interface LiveRunsEnvironment {
  clock: Clock;
  store: Store;
  /** The scheduler's jobs; a run of a job deleted meanwhile is no longer saved. */
  jobs: ReadonlyMap<string, Job>;
  pool: WorkerPool;
  locks: TargetLocks;
  actions: ReadonlyMap<string, ActionDefinition>;
  logger: Logger;
  random: () => number;
  emitter: SchedulerEmitter;
  ids: IdGenerator;
  batch: WriteBatch;
  /** Set when several schedulers share one store (see ClusterHooks). */
  cluster: ClusterHooks | undefined;
  /** Called once a run has ended and its slot is free (after executionFinished). */
  onEnded(record: Execution): void;
}

export class LiveRuns implements RunOwner {
  /** Renewed when empty (see burst-collections). */
  private live = new Map<string, LiveExecution>();
  private readonly runtimes = new Map<string, JobRuntime>();
  /** Set between a granted ClusterHooks.claimRun and the run it is for (see claimedBy). */
  private slotClaimed = false;

  private readonly base: RunBase;
  /**
   * The run that ended last (with its runner, record and latest try), kept
   * until the next one ends, so that V8's optimized code for the run path
   * survives a full garbage collection. V8 gives each object layout a hidden
   * class (a "map"); a class's instances reach theirs by transitions from the
   * constructor's initial map, which V8 holds weakly. Once every run of a burst
   * had ended, nothing held the maps of runs, runners and tries: the next full
   * collection freed them and discarded every optimized function specialised
   * to them, and the next thousand runs went through the interpreter while V8
   * compiled them again. 1 000-run bursts, each after a full collection: 57-72
   * us of CPU per run with nothing kept, 22-34 with this (20-33 with no
   * collection at all). It costs the memory of one finished run.
   */
  latestEnded: LiveExecution | null = null;

  constructor(private readonly env: LiveRunsEnvironment) {
    this.base = { clock: env.clock, pool: env.pool, locks: env.locks, actions: env.actions, logger: env.logger, random: env.random };
  }

  /** The run with this id, while it is running or waiting its turn. */
  get(executionId: string): LiveExecution | undefined {
    return this.live.get(executionId);
  }

  has(executionId: string): boolean {
    return this.live.has(executionId);
  }

  /**
   * Ends every run: those waiting their turn are cancelled at once, running
   * ones get `graceMs` to finish and are then cancelled. Resolves once all have ended.
   */
  async endAll(graceMs: number): Promise<void> {
    const { clock } = this.env;
    for (const runtime of this.runtimes.values()) this.discardWaiting(runtime, "SchedulerStopped");
    const running = [...this.live.values()];
    if (running.length === 0) return;
    let graceTimer: unknown = null;
    const graceOver = new Promise<void>((resolve) => {
      graceTimer = clock.setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all(running.map((r) => r.done)), graceOver]);
    clock.clearTimeout(graceTimer);
    for (const r of running) r.runner.cancel("SchedulerStopped");
    await Promise.all(running.map((r) => r.done));
  }

  /** The job's runtime state, made on first use. */
  runtimeOf(job: Job): JobRuntime {
    let runtime = this.runtimes.get(job.id);
    if (!runtime) {
      runtime = { running: new Set(), waiting: null, limiter: undefined };
      this.runtimes.set(job.id, runtime);
      this.applyConcurrency(job);
    }
    return runtime;
  }

  /** The job's runtime state if it has one, without making it. */
  runtimeIfAny(jobId: string): JobRuntime | undefined {
    return this.runtimes.get(jobId);
  }

  /** Whether a run of the job holds its overlap slot (it is freed as the run turns final). */
  isRunning(jobId: string): boolean {
    return (this.runtimes.get(jobId)?.running.size ?? 0) > 0;
  }

  /** How many jobs have a run going. */
  runningJobCount(): number {
    let count = 0;
    for (const runtime of this.runtimes.values()) if (runtime.running.size > 0) count++;
    return count;
  }

  /** Forgets the job's runtime state (the job is being deleted) and returns it. */
  removeRuntime(jobId: string): JobRuntime | undefined {
    const runtime = this.runtimes.get(jobId);
    this.runtimes.delete(jobId);
    return runtime;
  }

  /** Keeps the job's limiter in step with policy.maxConcurrency. */
  applyConcurrency(job: Job): void {
    const runtime = this.runtimes.get(job.id);
    if (!runtime) return;
    const cap = job.policy.maxConcurrency;
    if (cap === undefined) runtime.limiter = undefined;
    else if (runtime.limiter) runtime.limiter.resize(cap);
    else runtime.limiter = new WorkerPool(cap);
  }

  /** Makes the runner of a new run (or of `variant`) and tracks it as live; it starts with begin(). */
  prepare(job: Job, trigger: ExecutionTrigger, scheduledFor: number, initiatedBy: string | null, runtime: JobRuntime, variant?: RunVariant): LiveExecution {
    const { env } = this;
    const record = variant?.record ?? newExecution({ id: env.ids.next("Exec"), job, trigger, initiatedBy, scheduledFor });
    const live = new LiveExecution(this, this.base, job, variant?.job ?? job, record, runtime, this.slotClaimed, variant?.invoke);
    this.slotClaimed = false;
    this.live = renewedIfEmpty(this.live);
    this.live.set(record.id, live);
    return live;
  }

  /**
   * A run's save, with the batched writes. A run turns final in the same turn as it asks for its last
   * save: its overlap slot is freed here, before anyone can read it ended, so
   * a trigger sent on seeing it ended is never refused as overlapping it.
   */
  saveRun(live: LiveExecution, execution: Execution): Promise<void> {
    if (isFinal(execution.state)) this.release(live, live.runtime);
    return this.env.jobs.has(execution.jobId) ? this.env.batch.save(execution) : Promise.resolve();
  }

  taskStarted(live: LiveExecution, stepIndex: number, result: TargetResult, targetIndex: number): void {
    this.saveTaskResult(live.record, stepIndex, targetIndex, result);
  }

  taskFinished(live: LiveExecution, stepIndex: number, result: TargetResult, targetIndex: number): void {
    const { emitter } = this.env;
    const record = live.record;
    this.saveTaskResult(record, stepIndex, targetIndex, result);
    if (!emitter.has("taskFinished")) return;
    const step = live.runner.job.steps[stepIndex]!;
    emitter.emit("taskFinished", { jobId: live.job.id, executionId: record.id, stepIndex, stepName: step.name, action: step.action, result: plainCopy(result) });
  }

  taskRetrying(live: LiveExecution, stepIndex: number, target: string, attempt: number, error: TaskError, delayMs: number): void {
    const { emitter } = this.env;
    if (!emitter.has("taskRetrying")) return;
    const step = live.job.steps[stepIndex]!;
    emitter.emit("taskRetrying", {
      jobId: live.job.id,
      executionId: live.record.id,
      stepIndex,
      stepName: step.name,
      action: step.action,
      target,
      attempt,
      error: plainCopy(error),
      delayMs,
    });
  }

  /**
   * Hands a granted cluster run slot (ClusterHooks.claimRun) to the run `make`
   * prepares, or gives it back if none was prepared. Alone, just `make()`.
   */
  claimedBy<T>(jobId: string, make: () => T): T {
    const cluster = this.env.cluster;
    if (!cluster) return make();
    this.slotClaimed = true;
    try {
      return make();
    } finally {
      if (this.slotClaimed) {
        this.slotClaimed = false;
        cluster.releaseRun(jobId);
      }
    }
  }

  /** Starts a prepared run in one of the job's overlap slots. */
  begin(job: Job, live: LiveExecution, runtime: JobRuntime): void {
    const { env } = this;
    runtime.running.add(live);
    const record = live.runner.record;
    // Queued first, so that the saves of the targets it starts right away know the batch carries them.
    env.batch.addExecution(record);
    // Started and counted before run() calls the first action, which it may do in this very turn.
    live.runner.begin();
    if (record.startedAt !== null && !live.resumed) {
      job.lastRunAt = record.startedAt;
      job.runCount++;
    }
    if (env.emitter.has("executionStarted")) env.emitter.emit("executionStarted", plainCopy(record));
    const finished = live.runner.run();
    finished.then(
      (final) => this.finished(live, runtime, final),
      (error: unknown) => {
        env.logger.error("execution runner failed", { executionId: record.id, error: String(error) });
        this.finished(live, runtime, record);
      },
    );
  }

  /**
   * A run someone asked for starts only once its record is durable: if it
   * cannot be saved (a full disk) the caller is refused before any action has
   * touched a target, rather than told "accepted" about a run only memory
   * knows. The run holds its overlap slot meanwhile. Scheduled runs do not
   * wait: their first record rides the batched writes.
   */
  async beginOnceSaved(job: Job, live: LiveExecution, runtime: JobRuntime): Promise<Execution> {
    const record = live.runner.record;
    runtime.running.add(live);
    try {
      await this.env.store.saveExecution(record);
    } catch (error) {
      runtime.running.delete(live);
      this.live.delete(record.id);
      this.releaseClusterSlot(live);
      const next = runtime.waiting;
      if (next && runtime.running.size === 0) {
        runtime.waiting = null;
        this.begin(job, next, runtime);
      }
      throw storeError(error);
    }
    runtime.running.delete(live);
    this.begin(job, live, runtime);
    return record;
  }

  /** Ends the run waiting its turn, if any, as Cancelled without starting it. */
  discardWaiting(runtime: JobRuntime, reason: ExecutionReason): void {
    const waiting = runtime.waiting;
    if (!waiting) return;
    runtime.waiting = null;
    waiting.runner.cancel(reason);
    void waiting.runner.run().then((final) => this.finished(waiting, runtime, final));
  }

  /** Records a run that does not happen (overlap, misfire) as Skipped. */
  recordSkipped(job: Job, trigger: ExecutionTrigger, scheduledFor: number, initiatedBy: string | null, reason: ExecutionReason): Execution {
    const { env } = this;
    const record = skippedExecution({ id: env.ids.next("Exec"), job, trigger, initiatedBy, scheduledFor, at: env.clock.now(), reason });
    env.batch.addExecution(record);
    if (env.emitter.has("executionSkipped")) env.emitter.emit("executionSkipped", plainCopy(record));
    return record;
  }

  /** The run has ended and its final record is saved: it stops being live, and says so. */
  private finished(live: LiveExecution, runtime: JobRuntime, record: Execution): void {
    const { env } = this;
    this.live.delete(record.id);
    this.release(live, runtime);
    if (env.emitter.has("executionFinished")) env.emitter.emit("executionFinished", plainCopy(record));
    live.ended(record);
    env.onEnded(record);
    this.latestEnded = live;
  }

  /**
   * Frees the run's overlap slot and starts the run waiting its turn, if the
   * job has no other run going. Called as the run turns final, and again (to
   * no effect) once it has finished, for a runner that failed before that.
   */
  private release(live: LiveExecution, runtime: JobRuntime): void {
    const { env } = this;
    runtime.running.delete(live);
    this.releaseClusterSlot(live);
    const next = runtime.waiting;
    if (!next || runtime.running.size > 0) return;
    const job = env.jobs.get(live.runner.record.jobId);
    if (job) {
      runtime.waiting = null;
      this.begin(job, next, runtime);
      env.batch.addJob(job);
    } else {
      this.discardWaiting(runtime, "JobDeleted");
    }
  }

  /** Gives the run's cluster-wide slot back, once. */
  private releaseClusterSlot(live: LiveExecution): void {
    if (!live.clusterSlot) return;
    live.clusterSlot = false;
    this.env.cluster?.releaseRun(live.runner.record.jobId);
  }

  /**
   * Each target's outcome is written as it ends, and its start as its first
   * request goes out, not only at the end of the run, so a crash keeps the
   * progress made and knows which requests were out (Unknown, not Cancelled).
   * One short journal line each, committed together with whatever else is
   * being written (no sync of its own); a store without per-target writes gets
   * the whole record, through the batched writes. A crash within the same
   * commit window as a start can still lose that start line.
   */
  private saveTaskResult(record: Execution, stepIndex: number, targetIndex: number, result: TargetResult): void {
    const { env } = this;
    // Not yet written: the batched write of the whole record will carry it.
    if (!env.jobs.has(record.jobId) || env.batch.holds(record.id)) return;
    if (!env.store.saveTargetResult) {
      env.batch.addExecution(record);
      return;
    }
    env.store.saveTargetResult(record.id, stepIndex, targetIndex, result).catch((error: unknown) => {
      env.logger.error("could not save a task's result", { executionId: record.id, target: result.target, error: String(error) });
    });
  }
}
