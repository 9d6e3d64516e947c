import { ShoalError } from "../errors.js";
import type { Execution } from "../executions/types.js";
import type { Job, JobPatch, JobSpec } from "../jobs/types.js";
import { hostZone } from "../schedule/index.js";
import { MemoryStore } from "../store/memory-store.js";
import { plainCopy } from "../store/plain-copy.js";
import type { ExecutionQuery, Page, Store } from "../store/store.js";
import type { ActionDefinition } from "./actions.js";
import { systemClock, type Clock } from "./clock.js";
import type { ClusterHooks } from "./cluster-hooks.js";
import { SchedulerEmitter, type SchedulerEventName, type SchedulerEvents } from "./events.js";
import { resumeHalted, startRevert } from "./follow-up-runs.js";
import { reopenOrphaned } from "./orphaned-run.js";
import { ExecutionReads, type LastOutcome } from "./execution-reads.js";
import { IdGenerator } from "./ids.js";
import { JobChanges } from "./job-changes.js";
import { JobTimer } from "./job-timer.js";
import { LiveRuns } from "./live-runs.js";
import { silentLogger, type Logger } from "./logger.js";
import { dispatch } from "./overlap-dispatch.js";
import { planJob, type JobPlan, type PlanOptions } from "./plan.js";
import { checkPoolSize, checkTimeZone, type JobQuery, type JobWriteOptions, type SchedulerOptions, type StopOptions } from "./scheduler-options.js";
import { closeInterruptedRuns } from "./start-recovery.js";
import type { JobStats } from "./stats.js";
import { storeError } from "./store-error.js";
import { TargetLocks, type TargetLockStatus } from "./target-lock.js";
import { WorkerPool, type PoolStatus } from "./worker-pool.js";
import { WriteBatch } from "./write-batch.js";

export type { JobQuery, JobWriteOptions, SchedulerOptions, StopOptions } from "./scheduler-options.js";

type Phase = "idle" | "starting" | "running" | "stopping" | "stopped";

const DEFAULT_POOL_SIZE = 5;
const DEFAULT_GRACE_MS = 10_000;

/**
 * Decides when jobs run and drives each run. Jobs are kept in memory (mirrored
 * to the store), executions in the store; timers are one setTimeout over a heap
 * of due instants; all tasks of all jobs share one worker pool.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler({ store: new FileStore({ path: "data/state.json" }), workerPoolSize: 10 });
 * scheduler.defineAction("ping", { async run(ctx) { return { pinged: ctx.target }; } });
 * scheduler.on("executionFinished", (e) => console.log(e.id, e.state, e.health));
 * await scheduler.start();
 * const job = await scheduler.createJob({
 *   name: "ping the rack",
 *   schedule: { type: "Continuous", time: "22:00", period: { daysOfWeek: ["Monday", "Friday"] } },
 *   steps: [{ action: "ping", targets: ["server-1", "server-2"] }],
 * });
 * const run = await scheduler.trigger(job.id);
 * await scheduler.waitForExecution(run.id);
 * await scheduler.stop();
 * await scheduler.store.close();
 * ```
 */
export class Scheduler {
  /** The time source (SchedulerOptions.clock; the system clock by default). */
  readonly clock: Clock;
  /** Where jobs and executions are kept (SchedulerOptions.store, or the MemoryStore it made). */
  readonly store: Store;
  /** The zone for schedules that name none. */
  readonly timeZone: string;

  private readonly ownsStore: boolean;
  private readonly logger: Logger;
  private readonly workers: WorkerPool;
  private readonly locks = new TargetLocks();
  private readonly actions = new Map<string, ActionDefinition>();
  private readonly jobs = new Map<string, Job>();
  private readonly emitter = new SchedulerEmitter();
  private readonly ids: IdGenerator;
  private readonly batch: WriteBatch;
  private readonly runs: LiveRuns;
  private readonly cluster: ClusterHooks | undefined;
  private readonly timer: JobTimer;
  private readonly changes: JobChanges;
  private readonly reads: ExecutionReads;
  private phase: Phase = "idle";
  private opening: Promise<void> | null = null;

  /** Nothing runs until start(). Throws a ShoalError for an unknown timeZone or a pool size out of range. */
  constructor(options: SchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    const now = (): number => this.clock.now();
    this.ownsStore = options.store === undefined;
    this.store = options.store ?? new MemoryStore({ ...(options.retention && { retention: options.retention }), now });
    const zone = (this.timeZone = checkTimeZone(options.timeZone ?? hostZone()));
    this.workers = new WorkerPool(checkPoolSize(options.workerPoolSize ?? DEFAULT_POOL_SIZE));
    this.logger = options.logger ?? silentLogger;
    this.ids = new IdGenerator(now);
    const { clock, store, jobs, logger, emitter, ids, locks, actions } = this;
    const batch = (this.batch = new WriteBatch({ store, logger, jobs, busy: () => this.timer.handingOut }));
    const pool = this.workers;
    const random = options.random ?? Math.random;
    const cluster = (this.cluster = options.cluster);
    const runs = (this.runs = new LiveRuns({ clock, store, jobs, pool, locks, actions, logger, random, emitter, ids, batch, cluster, onEnded: (record) => this.afterHalt(record) }));
    this.reads = new ExecutionReads(runs, batch);
    const running = (): boolean => this.phase === "running";
    const timer = (this.timer = new JobTimer({ clock, timeZone: zone, jobs, runs, batch, logger, cluster, running }));
    this.changes = new JobChanges({ clock, store, jobs, actions, timeZone: zone, ids, timer, runs, batch, emitter, running });
  }

  // ---------------------------------------------------------------- actions, events, pool

  /**
   * Registers the code a step's `action` names. Define every action before
   * start(): jobs whose steps name an undefined action are refused.
   *
   * @example
   * ```ts
   * scheduler.defineAction<{ profile: string }>("setProfile", {
   *   validate(payload) {
   *     if (typeof (payload as { profile?: unknown })?.profile !== "string") throw new Error("profile must be a string");
   *   },
   *   async run(ctx) {
   *     const response = await fetch(`https://${ctx.target}/profile`, { method: "PUT", body: ctx.payload.profile, signal: ctx.signal });
   *     if (response.status >= 500) throw Object.assign(new Error(`HTTP ${response.status}`), { transient: true });
   *     return { status: response.status };
   *   },
   * });
   * ```
   */
  defineAction<Payload = unknown>(name: string, definition: ActionDefinition<Payload>): this {
    if (typeof name !== "string" || name.trim() === "") throw new TypeError("An action needs a name");
    if (typeof definition?.run !== "function") throw new TypeError(`Action "${name}" needs a run(ctx) function`);
    if (this.actions.has(name)) throw new ShoalError("AlreadyExists", `Action "${name}" is already defined`);
    this.actions.set(name, definition as ActionDefinition);
    return this;
  }

  /** Whether code has defined an action by this name (front ends check jobs with it before creating them). */
  hasAction(name: string): boolean {
    return this.actions.has(name);
  }

  /** Listens to an event (see SchedulerEvents); payloads are copies. A listener that throws does not disturb the run. */
  on<E extends SchedulerEventName>(event: E, listener: (...args: SchedulerEvents[E]) => void): this {
    this.emitter.on(event, listener);
    return this;
  }

  /** Removes a listener added with on() or once(). */
  off<E extends SchedulerEventName>(event: E, listener: (...args: SchedulerEvents[E]) => void): this {
    this.emitter.off(event, listener);
    return this;
  }

  /** Listens to the next occurrence of an event only. */
  once<E extends SchedulerEventName>(event: E, listener: (...args: SchedulerEvents[E]) => void): this {
    this.emitter.once(event, listener);
    return this;
  }

  /** The shared worker pool's size and load right now. */
  get pool(): PoolStatus {
    return this.workers.status;
  }

  /** Targets being worked on, and tasks waiting for one (one writer per target). */
  get targetLocks(): TargetLockStatus {
    return this.locks.status;
  }

  /** Resizes the shared pool at once; queued tasks are neither lost nor run twice. */
  setWorkerPoolSize(size: number): void {
    this.workers.resize(checkPoolSize(size));
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Opens the store and recovers from whatever the last process left: runs it
   * was in the middle of become Interrupted, and each job that fell due while
   * nobody was watching gets its misfire policy applied once. Then arms the timer.
   */
  async start(): Promise<void> {
    if (this.phase === "running" || this.phase === "starting") return;
    if (this.phase === "stopping") throw new ShoalError("Conflict", "The scheduler is still stopping");
    this.phase = "starting";
    try {
      await this.open();
      const now = this.clock.now();
      // In a cluster a run that looks stranded may be another instance's: the cluster takes over the dead ones.
      if (!this.cluster) await closeInterruptedRuns(this.store, (id) => this.runs.has(id), now, this.emitter);
      this.phase = "running";
      this.timer.startAll(now);
    } catch (error) {
      this.phase = "idle";
      throw error;
    }
  }

  /**
   * No new runs start; running ones get `graceMs` to finish and are then
   * cancelled. Runs waiting their turn are cancelled at once. Resolves once every
   * run has ended and the store has flushed.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.phase !== "running") return;
    this.phase = "stopping";
    this.timer.stop();
    await this.runs.endAll(options.graceMs ?? DEFAULT_GRACE_MS);
    await this.batch.flush();
    await this.store.flush();
    if (this.ownsStore) await this.store.close();
    this.phase = "stopped";
  }

  // ---------------------------------------------------------------- jobs

  /**
   * Validates and stores a job, and arms its schedule. Every problem with the
   * spec is reported at once: a ShoalError "ValidationError" with one detail
   * per problem, each at a JSON pointer ("/steps/0/targets").
   *
   * @example
   * ```ts
   * const job = await scheduler.createJob({
   *   name: "weeknight power saver",
   *   schedule: { type: "Cron", cron: "0 22 * * 1-5", timeZone: "Europe/Berlin" },
   *   steps: [{ action: "setProfile", targets: ["bmc-1", "bmc-2"], payload: { profile: "PowerSaver" } }],
   *   policy: { overlap: "Skip", retry: { maxAttempts: 3, initialDelayMs: 500, factor: 2, maxDelayMs: 5000 } },
   * });
   * job.nextRunAt; // "2026-03-02T21:00:00.000Z"
   * ```
   */
  async createJob(spec: JobSpec): Promise<Job> {
    await this.open();
    return this.changes.create(spec);
  }

  /** A copy of the job; throws a ShoalError "NotFound" for an unknown id. */
  getJob(id: string): Job {
    return plainCopy(this.jobOrThrow(id));
  }

  /**
   * The job as held, not a copy (never change it). A change of definition,
   * enabled or cancelled state (here or through syncJob) replaces the object,
   * runs change only lastRunAt, nextRunAt and runCount in place: a cache keyed
   * by this object is a cache per job revision.
   */
  readJob(id: string): Readonly<Job> {
    return this.jobOrThrow(id);
  }

  /** Every job as the scheduler holds it, in creation order: readJob's terms, for a listing that must not copy them all. */
  readJobs(): Readonly<Job>[] {
    return [...this.jobs.values()];
  }

  /** Jobs in creation order. */
  listJobs(query: JobQuery = {}): Page<Job> {
    let jobs = [...this.jobs.values()];
    if (query.enabled !== undefined) jobs = jobs.filter((j) => j.enabled === query.enabled);
    const offset = query.offset ?? 0;
    const end = query.limit === undefined ? undefined : offset + query.limit;
    return { items: jobs.slice(offset, end).map((j) => plainCopy(j)), total: jobs.length };
  }

  /**
   * Applies a patch. The merged job is validated first: an invalid patch changes
   * nothing. A new schedule, or enabling the job, recomputes nextRunAt; enabling
   * a job whose run fell due while it was paused applies its misfire policy.
   */
  updateJob(id: string, patch: JobPatch, options: JobWriteOptions = {}): Promise<Job> {
    return this.changes.patch(id, patch, {}, options);
  }

  /** Disables the job (no scheduled runs; trigger() still works), keeping `reason` as pausedReason. */
  pauseJob(id: string, options: { reason?: string } = {}): Promise<Job> {
    return this.changes.patch(id, { enabled: false }, { pausedReason: options.reason ?? null }, {});
  }

  /** Enables a paused job again; a run that fell due meanwhile follows the misfire policy. */
  resumeJob(id: string): Promise<Job> {
    return this.changes.patch(id, { enabled: true }, {}, {});
  }

  /**
   * MultiFish "Cancel": the job stops scheduling for good (cancelled, no next
   * run) but stays readable. A run in progress finishes; one waiting its turn is
   * cancelled.
   */
  cancelJob(id: string): Promise<Job> {
    return this.changes.cancel(id);
  }

  /** Removes the job and its history; its runs in progress are cancelled. */
  deleteJob(id: string, options: JobWriteOptions = {}): Promise<void> {
    return this.changes.remove(id, options);
  }

  // ---------------------------------------------------------------- executions

  /**
   * Runs the job now, enabled or not. Under overlap Skip a job already running
   * is refused (AlreadyRunning); under Queue the run waits its turn (one at most).
   */
  async trigger(id: string, options: { initiatedBy?: string } = {}): Promise<Execution> {
    const job = this.jobOrThrow(id);
    this.assertRunning();
    if (job.cancelled) throw new ShoalError("Conflict", `Job "${id}" is cancelled`);
    if (this.cluster && !(await this.cluster.claimRun(id, job.policy.overlap))) {
      throw new ShoalError("AlreadyRunning", `Job "${id}" is already running on another instance`);
    }
    const record = await this.runs.claimedBy(id, () => dispatch(this.runs, this.batch, job, "Manual", this.clock.now(), options.initiatedBy ?? null, true));
    this.batch.addJob(job);
    return plainCopy(record);
  }

  /** Cancels a running or waiting run; resolves with its final record (state Cancelled). */
  async cancelExecution(executionId: string): Promise<Execution> {
    const live = this.runs.get(executionId);
    if (!live) {
      const stored = this.reads.get(executionId);
      throw new ShoalError("NotRunning", `Execution "${executionId}" has already ended (${stored.state})`);
    }
    const runtime = this.runs.runtimeIfAny(live.runner.record.jobId);
    if (runtime?.waiting === live) this.runs.discardWaiting(runtime, "Cancelled");
    else live.runner.cancel("Cancelled");
    return plainCopy(await live.done);
  }

  /**
   * A dry run: every target's action `plan`, through the pool, the job's cap,
   * the target lock and the task timeout. Nothing is recorded.
   */
  async planJob(jobId: string, options: PlanOptions = {}): Promise<JobPlan> {
    const job = this.jobOrThrow(jobId);
    this.assertRunning();
    const { limiter } = this.runs.runtimeOf(job);
    const env = { clock: this.clock, pool: this.workers, jobLimiter: limiter, locks: this.locks, actions: this.actions, logger: this.logger };
    return planJob(plainCopy(job), env, options);
  }

  /**
   * Starts a run that undoes what a finished run changed (trigger Revert,
   * revertOf the source), from the snapshots its targets recorded.
   */
  async revertExecution(executionId: string, options: { initiatedBy?: string } = {}): Promise<Execution> {
    this.assertRunning();
    const source = this.getExecution(executionId);
    const job = this.jobOrThrow(source.jobId);
    const init = { id: this.ids.next("Exec"), job, source, actions: this.actions, now: this.clock.now(), initiatedBy: options.initiatedBy ?? null };
    return plainCopy(startRevert(this.runs, this.batch, init));
  }

  /** Continues a Halted rollout with the targets it skipped, in the same execution. */
  async resumeExecution(executionId: string): Promise<Execution> {
    this.assertRunning();
    if (this.runs.has(executionId)) throw new ShoalError("Conflict", `Execution "${executionId}" is running`);
    const stored = this.getExecution(executionId);
    return plainCopy(resumeHalted(this.runs, this.jobOrThrow(stored.jobId), stored));
  }

  /**
   * Drives on a run that another instance was driving when it died (cluster
   * mode): its machines not ended yet run here, the others keep their results.
   * `holdsSlot`: the caller claimed the job's run slot for it (ClusterHooks.claimRun).
   */
  adoptExecution(orphan: Execution, options: { holdsSlot?: boolean } = {}): Execution {
    this.assertRunning();
    const running = this.runs.get(orphan.id);
    if (running) return plainCopy(running.runner.record);
    const job = this.jobOrThrow(orphan.jobId);
    const runtime = this.runs.runtimeOf(job);
    const record = reopenOrphaned(orphan);
    const adopt = (): void => {
      const live = this.runs.prepare(job, record.trigger, 0, record.initiatedBy, runtime, { record });
      live.resumed = true;
      this.runs.begin(job, live, runtime);
    };
    if (options.holdsSlot === true) this.runs.claimedBy(job.id, adopt);
    else adopt();
    return plainCopy(record);
  }

  /**
   * Takes in a change another instance made to a job (cluster mode): `job` as
   * now stored, or undefined once deleted. Runs in progress here go on.
   */
  syncJob(id: string, job: Job | undefined): void {
    if (job === undefined) {
      if (this.jobs.delete(id)) this.timer.remove(id);
      return;
    }
    this.jobs.set(id, job);
    this.runs.runtimeOf(job);
    this.runs.applyConcurrency(job);
    if (this.phase === "running") this.timer.arm(job);
  }

  /** A copy of the run (live progress while it goes); throws a ShoalError "NotFound" for an unknown id. */
  getExecution(id: string): Execution {
    return this.reads.get(id);
  }

  /** Whether the run is still kept (going, or in the store: retention has not dropped it, nor its job's deletion), without copying it. */
  hasExecution(id: string): boolean {
    return this.reads.find(id) !== undefined;
  }

  /** Newest first; runs in progress show their live progress. */
  listExecutions(query: ExecutionQuery = {}): Page<Execution> {
    return this.reads.list(query);
  }

  /**
   * Whether the job has a run going. False from the moment its run reads as
   * ended (before the final record is durable), so a job's status and its
   * newest run never disagree and a trigger sent on seeing the end is accepted.
   */
  isJobRunning(jobId: string): boolean {
    return this.runs.isRunning(jobId);
  }

  /** How many jobs have a run going right now. */
  get runningJobCount(): number {
    return this.runs.runningJobCount();
  }

  /** Resolves with the final record once the execution has ended. */
  waitForExecution(id: string): Promise<Execution> {
    return this.reads.wait(id);
  }

  /**
   * State and health of the job's newest execution that ran to an end (not
   * Skipped, not still going), or undefined. Reads the records in place: a
   * status line must not copy a run over thousands of targets.
   */
  lastOutcome(jobId: string): LastOutcome | undefined {
    this.jobOrThrow(jobId);
    return this.reads.lastOutcome(jobId);
  }

  /** Counts and durations over the job's kept execution history. */
  stats(jobId: string): JobStats {
    return this.reads.stats(this.jobOrThrow(jobId));
  }

  // ---------------------------------------------------------------- internals

  private open(): Promise<void> {
    this.opening ??= (async () => {
      await this.store.open();
      // The scheduler owns these objects from here on: a store hands out its own
      // (FileStore, to hold one copy of 100 000 jobs, not two) or copies (MemoryStore).
      const stored = this.store.listJobs();
      stored.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
      for (const job of stored) {
        if (this.jobs.has(job.id)) continue;
        this.jobs.set(job.id, job);
        this.runs.runtimeOf(job);
      }
    })().catch((error: unknown) => {
      this.opening = null;
      throw storeError(error);
    });
    return this.opening;
  }

  private assertRunning(): void {
    if (this.phase !== "running") throw new ShoalError("Stopped", "The scheduler is not running; call start() first");
  }

  private jobOrThrow(id: string): Job {
    return this.changes.jobOrThrow(id);
  }

  /** A rollout that halted with onHalt Revert undoes what it changed. */
  private afterHalt(record: Execution): void {
    if (record.state !== "Halted" || this.jobs.get(record.jobId)?.policy.rollout?.onHalt !== "Revert") return;
    this.revertExecution(record.id, { initiatedBy: `rollout:${record.id}` }).catch((error: unknown) =>
      this.logger.error("could not revert a halted rollout", { executionId: record.id, error: String(error) }),
    );
  }
}
