import { ShoalError } from "../errors.js";
import { isFinal, type Execution, type ExecutionReason, type ExecutionTrigger, type TargetResult } from "../executions/types.js";
import type { Job, JobPatch, JobSpec } from "../jobs/types.js";
import { hostZone, isValidZone, nextRun } from "../schedule/index.js";
import { MemoryStore } from "../store/memory-store.js";
import { plainCopy } from "../store/plain-copy.js";
import type { ExecutionQuery, Page, RetentionPolicy, Store } from "../store/store.js";
import type { ActionContext, ActionDefinition } from "./actions.js";
import { systemClock, type Clock } from "./clock.js";
import type { ClusterHooks } from "./cluster-hooks.js";
import { SchedulerEmitter, type SchedulerEventName, type SchedulerEvents } from "./events.js";
import { ExecutionRunner } from "./execution-runner.js";
import { interruptedRun } from "./interrupted-run.js";
import { reopenOrphaned } from "./orphaned-run.js";
import { iso, newExecution, skippedExecution } from "./execution-record.js";
import { IdGenerator } from "./ids.js";
import { KeyedQueue } from "./keyed-queue.js";
import { validateJobPatch, validateJobSpec, type SpecContext } from "./job-spec.js";
import { silentLogger, type Logger } from "./logger.js";
import { planJob, type JobPlan, type PlanOptions } from "./plan.js";
import { prepareRevert, reopenHalted } from "./revert.js";
import { statsOf, type JobStats } from "./stats.js";
import { TargetLocks, type TargetLockStatus } from "./target-lock.js";
import { TimerQueue } from "./timer-queue.js";
import { WorkerPool, type PoolStatus } from "./worker-pool.js";

/** Everything is optional: `new Scheduler()` runs in memory with 5 workers in the host's zone. */
export interface SchedulerOptions {
  /**
   * Where jobs and executions live; a MemoryStore when absent. Pass it unopened:
   * the scheduler opens it once, on start() or on the first createJob(). It
   * closes only the store it made itself; close yours after stop().
   */
  store?: Store;
  /** Concurrent tasks across all jobs, 1..10000; default 5. */
  workerPoolSize?: number;
  /** Zone for schedules that name none; default the host's. */
  timeZone?: string;
  /** The time source; a ManualClock in tests. Default: the system clock. */
  clock?: Clock;
  /** Execution history limits of the default MemoryStore (a given store has its own). */
  retention?: Partial<RetentionPolicy>;
  /** Where the scheduler and actions (ctx.log) write; default: nowhere. */
  logger?: Logger;
  /** Source of randomness for retry jitter. */
  random?: () => number;
  /** Set when several schedulers share one store: each due run starts once across them. */
  cluster?: ClusterHooks;
}

/** Filters and paging for listJobs. */
export interface JobQuery {
  /** Only enabled (or only paused) jobs. */
  enabled?: boolean;
  /** Jobs to skip, in creation order. */
  offset?: number;
  /** At most this many. */
  limit?: number;
}

/** Makes a change conditional on the job as it is when the change is applied. */
export interface JobWriteOptions {
  /**
   * Called with the job just before the change is made, after every earlier
   * change to the job has been saved; false refuses the change with
   * PreconditionFailed. A front end checks an ETag / If-Match here, so the
   * check and the write are one step and no concurrent update is lost.
   */
  precondition?: (current: Job) => boolean;
}

/** How stop() ends the runs in progress. */
export interface StopOptions {
  /** How long running executions may go on before they are cancelled; default 10 s. */
  graceMs?: number;
}

/** One execution the scheduler is driving (running, or waiting its turn under overlap Queue). */
interface LiveExecution {
  runner: ExecutionRunner;
  /** A halted run going on: it is not a new run of the job. */
  resumed?: boolean;
  /** It holds a ClusterHooks.claimRun slot, given back when it ends. */
  clusterSlot?: boolean;
  done: Promise<Execution>;
  resolveDone: (execution: Execution) => void;
}

/** Per-job runtime state, never persisted. */
interface JobRuntime {
  running: Set<LiveExecution>;
  /** The one run waiting under overlap Queue. */
  waiting: LiveExecution | null;
  /** policy.maxConcurrency, shared by all runs of the job. */
  limiter: WorkerPool | undefined;
}

type Phase = "idle" | "starting" | "running" | "stopping" | "stopped";

const DEFAULT_POOL_SIZE = 5;
const MAX_POOL_SIZE = 10_000;
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
  private readonly random: () => number;
  private readonly cluster: ClusterHooks | undefined;
  private readonly workers: WorkerPool;
  private readonly locks = new TargetLocks();
  private readonly actions = new Map<string, ActionDefinition>();
  private readonly jobs = new Map<string, Job>();
  private readonly runtimes = new Map<string, JobRuntime>();
  private readonly live = new Map<string, LiveExecution>();
  private readonly timers: TimerQueue<string>;
  private readonly emitter = new SchedulerEmitter();
  /** Changes to one job are applied one after another. */
  private readonly jobWrites = new KeyedQueue();
  private readonly ids: IdGenerator;
  private phase: Phase = "idle";
  private opening: Promise<void> | null = null;
  private readonly unsavedJobs = new Set<Job>();
  private readonly unsavedExecutions = new Set<Execution>();
  private writesScheduled = false;
  /** Set between a granted ClusterHooks.claimRun and the run it is for (see claimedBy). */
  private slotClaimed = false;

  /** Nothing runs until start(). Throws a ShoalError for an unknown timeZone or a pool size out of range. */
  constructor(options: SchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    const now = (): number => this.clock.now();
    this.ownsStore = options.store === undefined;
    this.store = options.store ?? new MemoryStore({ ...(options.retention && { retention: options.retention }), now });
    const zone = options.timeZone ?? hostZone();
    if (!isValidZone(zone)) {
      throw ShoalError.validation([{ path: "/timeZone", kind: "notInList", message: `"${zone}" is not a known IANA time zone`, value: zone }], "options");
    }
    this.timeZone = zone;
    this.workers = new WorkerPool(checkPoolSize(options.workerPoolSize ?? DEFAULT_POOL_SIZE));
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    this.cluster = options.cluster;
    this.ids = new IdGenerator(now);
    this.timers = new TimerQueue(this.clock, (jobId, due) => this.fire(jobId, due));
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
      const cutOff = this.cluster ? [] : [
        ...this.store.listExecutions({ state: "Running" }).items,
        ...this.store.listExecutions({ state: "Pending" }).items,
      ].filter((execution) => !this.live.has(execution.id));
      const interrupted = cutOff.map((execution) => interruptedRun(execution, iso(now)));
      await Promise.all(interrupted.map((execution) => this.store.saveExecution(execution)));
      for (const execution of interrupted) this.emitter.emit("executionInterrupted", plainCopy(execution));
      this.phase = "running";
      for (const job of this.jobs.values()) {
        if (!job.enabled || job.cancelled) continue;
        this.catchUp(job, now, true);
        this.arm(job);
      }
      this.timers.start();
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
    this.timers.stop();
    for (const runtime of this.runtimes.values()) this.discardWaiting(runtime, "SchedulerStopped");
    const running = [...this.live.values()];
    if (running.length > 0) {
      let graceTimer: unknown = null;
      const graceOver = new Promise<void>((resolve) => {
        graceTimer = this.clock.setTimeout(resolve, options.graceMs ?? DEFAULT_GRACE_MS);
      });
      await Promise.race([Promise.all(running.map((r) => r.done)), graceOver]);
      this.clock.clearTimeout(graceTimer);
      for (const r of running) r.runner.cancel("SchedulerStopped");
      await Promise.all(running.map((r) => r.done));
    }
    await this.writePending();
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
    const fields = validateJobSpec(spec, this.specContext());
    const id = fields.id ?? this.ids.next("Job");
    if (this.jobs.has(id)) {
      throw new ShoalError("AlreadyExists", `A job with id "${id}" already exists`, [
        { path: "/id", message: "is taken", kind: "invalid", value: id },
      ]);
    }
    const now = this.clock.now();
    const at = iso(now);
    const draft: Job = {
      id,
      name: fields.name,
      description: fields.description,
      enabled: fields.enabled,
      pausedReason: null,
      cancelled: false,
      schedule: fields.schedule,
      steps: fields.steps,
      policy: fields.policy,
      createdAt: at,
      updatedAt: at,
      lastRunAt: null,
      nextRunAt: null,
      runCount: 0,
    };
    if (fields.metadata !== undefined) draft.metadata = fields.metadata;
    const job = validatedCopy(draft);
    job.nextRunAt = this.upcoming(job, now);
    this.jobs.set(id, job);
    try {
      await this.store.saveJob(job);
    } catch (error) {
      this.jobs.delete(id);
      throw storeError(error);
    }
    this.runtimeOf(job);
    this.arm(job);
    this.emitter.emit("jobCreated", plainCopy(job));
    return plainCopy(job);
  }

  /** A copy of the job; throws a ShoalError "NotFound" for an unknown id. */
  getJob(id: string): Job {
    return plainCopy(this.jobOrThrow(id));
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
    return this.jobWrites.run(id, () => this.applyPatch(id, patch, {}, options));
  }

  /** Disables the job (no scheduled runs; trigger() still works), keeping `reason` as pausedReason. */
  pauseJob(id: string, options: { reason?: string } = {}): Promise<Job> {
    return this.jobWrites.run(id, () => this.applyPatch(id, { enabled: false }, { pausedReason: options.reason ?? null }, {}));
  }

  /** Enables a paused job again; a run that fell due meanwhile follows the misfire policy. */
  resumeJob(id: string): Promise<Job> {
    return this.jobWrites.run(id, () => this.applyPatch(id, { enabled: true }, {}, {}));
  }

  private async applyPatch(id: string, patch: JobPatch, extra: { pausedReason?: string | null }, options: JobWriteOptions): Promise<Job> {
    const job = this.jobOrThrow(id);
    checkPrecondition(job, options);
    const fields = validateJobPatch(patch, job, this.specContext());
    if (job.cancelled && patch.enabled === true) {
      throw new ShoalError("Conflict", `Job "${id}" is cancelled and cannot be enabled again`);
    }
    const now = this.clock.now();
    const updated: Job = { ...job, ...fields, updatedAt: iso(now) };
    if (fields.metadata === undefined) delete updated.metadata;
    const enabling = fields.enabled && !job.enabled;
    if (enabling) updated.pausedReason = null;
    if (!fields.enabled) updated.pausedReason = extra.pausedReason !== undefined ? extra.pausedReason : job.pausedReason;
    if (patch.schedule !== undefined) updated.nextRunAt = updated.cancelled ? null : this.upcoming(updated, now);
    const copy = validatedCopy(updated);
    try {
      await this.store.saveJob(copy);
    } catch (error) {
      throw storeError(error);
    }
    this.jobs.set(id, copy);
    this.applyConcurrency(copy);
    if (enabling && patch.schedule === undefined && this.phase === "running") {
      if (this.catchUp(copy, this.clock.now(), false)) this.persistJob(copy);
    }
    this.arm(copy);
    this.emitter.emit("jobUpdated", plainCopy(copy));
    return plainCopy(copy);
  }

  /**
   * MultiFish "Cancel": the job stops scheduling for good (cancelled, no next
   * run) but stays readable. A run in progress finishes; one waiting its turn is
   * cancelled.
   */
  cancelJob(id: string): Promise<Job> {
    return this.jobWrites.run(id, () => this.cancelNow(id));
  }

  private async cancelNow(id: string): Promise<Job> {
    const job = this.jobOrThrow(id);
    if (job.cancelled) return plainCopy(job);
    const updated: Job = { ...job, cancelled: true, nextRunAt: null, updatedAt: iso(this.clock.now()) };
    try {
      await this.store.saveJob(updated);
    } catch (error) {
      throw storeError(error);
    }
    this.jobs.set(id, updated);
    this.timers.remove(id);
    const runtime = this.runtimes.get(id);
    if (runtime) this.discardWaiting(runtime, "JobCancelled");
    this.emitter.emit("jobUpdated", plainCopy(updated));
    return plainCopy(updated);
  }

  /** Removes the job and its history; its runs in progress are cancelled. */
  deleteJob(id: string, options: JobWriteOptions = {}): Promise<void> {
    return this.jobWrites.run(id, () => this.removeJob(id, options));
  }

  private async removeJob(id: string, options: JobWriteOptions): Promise<void> {
    const job = this.jobOrThrow(id);
    checkPrecondition(job, options);
    this.jobs.delete(id);
    this.timers.remove(id);
    const runtime = this.runtimes.get(id);
    this.runtimes.delete(id);
    const ending: Promise<Execution>[] = [];
    if (runtime?.waiting) {
      ending.push(runtime.waiting.done);
      this.discardWaiting(runtime, "JobDeleted");
    }
    for (const live of runtime?.running ?? []) {
      live.runner.cancel("JobDeleted");
      ending.push(live.done);
    }
    await Promise.all(ending);
    try {
      await this.store.deleteJob(id);
    } catch (error) {
      throw storeError(error);
    }
    this.emitter.emit("jobDeleted", plainCopy(job));
  }

  // ---------------------------------------------------------------- executions

  /**
   * Runs the job now, enabled or not. Under overlap Skip a job already running
   * is refused (AlreadyRunning); under Queue the run waits its turn (one at most).
   */
  async trigger(id: string, options: { initiatedBy?: string } = {}): Promise<Execution> {
    const job = this.jobOrThrow(id);
    if (this.phase !== "running") throw new ShoalError("Stopped", "The scheduler is not running; call start() first");
    if (job.cancelled) throw new ShoalError("Conflict", `Job "${id}" is cancelled`);
    if (this.cluster && !(await this.cluster.claimRun(id, job.policy.overlap))) throw new ShoalError("AlreadyRunning", `Job "${id}" is already running on another instance`);
    const record = await this.claimedBy(id, () => this.dispatch(job, "Manual", this.clock.now(), options.initiatedBy ?? null, true));
    this.persistJob(job);
    return plainCopy(record);
  }

  /** Cancels a running or waiting run; resolves with its final record (state Cancelled). */
  async cancelExecution(executionId: string): Promise<Execution> {
    const live = this.live.get(executionId);
    if (!live) {
      void this.writePending();
      const stored = this.store.getExecution(executionId);
      if (!stored) throw new ShoalError("NotFound", `No execution "${executionId}"`);
      throw new ShoalError("NotRunning", `Execution "${executionId}" has already ended (${stored.state})`);
    }
    const runtime = this.runtimes.get(live.runner.record.jobId);
    if (runtime?.waiting === live) this.discardWaiting(runtime, "Cancelled");
    else live.runner.cancel("Cancelled");
    return plainCopy(await live.done);
  }

  /**
   * A dry run: every target's action `plan`, through the pool, the job's cap,
   * the target lock and the task timeout. Nothing is recorded.
   */
  async planJob(jobId: string, options: PlanOptions = {}): Promise<JobPlan> {
    const job = this.jobOrThrow(jobId);
    if (this.phase !== "running") throw new ShoalError("Stopped", "The scheduler is not running; call start() first");
    const runtime = this.runtimeOf(job);
    const env = { clock: this.clock, pool: this.workers, jobLimiter: runtime.limiter, locks: this.locks, actions: this.actions, logger: this.logger };
    return planJob(plainCopy(job), env, options);
  }

  /**
   * Starts a run that undoes what a finished run changed (trigger Revert,
   * revertOf the source), from the snapshots its targets recorded.
   */
  async revertExecution(executionId: string, options: { initiatedBy?: string } = {}): Promise<Execution> {
    if (this.phase !== "running") throw new ShoalError("Stopped", "The scheduler is not running; call start() first");
    const source = this.getExecution(executionId);
    const job = this.jobOrThrow(source.jobId);
    const revert = prepareRevert({ id: this.ids.next("Exec"), job, source, actions: this.actions, now: this.clock.now(), initiatedBy: options.initiatedBy ?? null });
    const runtime = this.runtimeOf(job);
    const live = this.prepare(job, "Revert", 0, null, runtime, revert);
    this.begin(job, live, runtime);
    this.persistJob(job);
    return plainCopy(live.runner.record);
  }

  /** Continues a Halted rollout with the targets it skipped, in the same execution. */
  async resumeExecution(executionId: string): Promise<Execution> {
    if (this.phase !== "running") throw new ShoalError("Stopped", "The scheduler is not running; call start() first");
    if (this.live.has(executionId)) throw new ShoalError("Conflict", `Execution "${executionId}" is running`);
    const stored = this.getExecution(executionId);
    const job = this.jobOrThrow(stored.jobId);
    const runtime = this.runtimeOf(job);
    if (runtime.running.size > 0 && job.policy.overlap !== "Allow") throw new ShoalError("AlreadyRunning", `Job "${job.id}" is running`);
    const record = reopenHalted(stored, job);
    const live = this.prepare(job, record.trigger, 0, record.initiatedBy, runtime, { record });
    live.resumed = true;
    this.begin(job, live, runtime);
    return plainCopy(record);
  }

  /**
   * Drives on a run that another instance was driving when it died (cluster
   * mode): its machines not ended yet run here, the others keep their results.
   * `holdsSlot`: the caller claimed the job's run slot for it (ClusterHooks.claimRun).
   */
  adoptExecution(orphan: Execution, options: { holdsSlot?: boolean } = {}): Execution {
    if (this.phase !== "running") throw new ShoalError("Stopped", "The scheduler is not running; call start() first");
    const running = this.live.get(orphan.id);
    if (running) return plainCopy(running.runner.record);
    const job = this.jobOrThrow(orphan.jobId);
    const runtime = this.runtimeOf(job);
    const record = reopenOrphaned(orphan);
    this.slotClaimed = options.holdsSlot === true;
    const live = this.prepare(job, record.trigger, 0, record.initiatedBy, runtime, { record });
    live.resumed = true;
    this.begin(job, live, runtime);
    return plainCopy(record);
  }

  /** A copy of the run (live progress while it goes); throws a ShoalError "NotFound" for an unknown id. */
  getExecution(id: string): Execution {
    const live = this.live.get(id);
    if (live) return plainCopy(live.runner.record);
    void this.writePending();
    const stored = this.store.getExecution(id);
    if (!stored) throw new ShoalError("NotFound", `No execution "${id}"`);
    return plainCopy(stored);
  }

  /** Newest first; runs in progress show their live progress. */
  listExecutions(query: ExecutionQuery = {}): Page<Execution> {
    void this.writePending();
    const page = this.store.listExecutions(query);
    return {
      total: page.total,
      items: page.items.map((e) => plainCopy(this.live.get(e.id)?.runner.record ?? e)),
    };
  }

  /** Resolves with the final record once the execution has ended. */
  waitForExecution(id: string): Promise<Execution> {
    const live = this.live.get(id);
    if (live) return live.done.then((e) => plainCopy(e));
    void this.writePending();
    const stored = this.store.getExecution(id);
    if (!stored) return Promise.reject(new ShoalError("NotFound", `No execution "${id}"`));
    return Promise.resolve(plainCopy(stored));
  }

  /**
   * State and health of the job's newest execution that ran to an end (not
   * Skipped, not still going), or undefined. Reads the records in place: a
   * status line must not copy a run over thousands of targets.
   */
  lastOutcome(jobId: string): { state: Execution["state"]; health: Execution["health"]; endedAt: string | null } | undefined {
    this.jobOrThrow(jobId);
    void this.writePending();
    for (const e of this.store.listExecutions({ jobId }).items) {
      if (e.state !== "Skipped" && isFinal(e.state)) return { state: e.state, health: e.health, endedAt: e.endedAt };
    }
    return undefined;
  }

  /** Counts and durations over the job's kept execution history. */
  stats(jobId: string): JobStats {
    const job = this.jobOrThrow(jobId);
    void this.writePending();
    return statsOf(this.store.listExecutions({ jobId }).items, job.lastRunAt);
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
        this.runtimeOf(job);
      }
    })().catch((error: unknown) => {
      this.opening = null;
      throw storeError(error);
    });
    return this.opening;
  }

  private specContext(): SpecContext {
    return { actions: this.actions, now: this.clock.now(), timeZone: this.timeZone };
  }

  private jobOrThrow(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new ShoalError("NotFound", `No job "${id}"`);
    return job;
  }

  private runtimeOf(job: Job): JobRuntime {
    let runtime = this.runtimes.get(job.id);
    if (!runtime) {
      runtime = { running: new Set(), waiting: null, limiter: undefined };
      this.runtimes.set(job.id, runtime);
      this.applyConcurrency(job);
    }
    return runtime;
  }

  private applyConcurrency(job: Job): void {
    const runtime = this.runtimes.get(job.id);
    if (!runtime) return;
    const cap = job.policy.maxConcurrency;
    if (cap === undefined) runtime.limiter = undefined;
    else if (runtime.limiter) runtime.limiter.resize(cap);
    else runtime.limiter = new WorkerPool(cap);
  }

  /** The schedule's next instant strictly after `after`, as stored on the job. */
  private upcoming(job: Job, after: number): string | null {
    const next = nextRun(job.schedule, { after: new Date(after), timeZone: this.timeZone });
    return next === null ? null : next.toISOString();
  }

  /** Puts the job on the timer, or takes it off, according to its state. */
  private arm(job: Job): void {
    if (job.enabled && !job.cancelled && job.nextRunAt !== null) this.timers.schedule(job.id, Date.parse(job.nextRunAt));
    else this.timers.remove(job.id);
  }

  /**
   * Applies the misfire policy once if the job's next run has passed (it fell
   * due while the job was paused or the process was down), then moves nextRunAt
   * past now. A Once job's single run is spent by this. Returns whether it misfired.
   */
  private catchUp(job: Job, now: number, restarting: boolean): boolean {
    if (job.nextRunAt === null) return false;
    const due = Date.parse(job.nextRunAt);
    if (due > now) {
      // Restarting: recompute, in case the zone or the rules changed; a Once keeps its instant.
      if (restarting && job.schedule.type !== "Once") job.nextRunAt = this.upcoming(job, now);
      return false;
    }
    job.nextRunAt = job.schedule.type === "Once" ? null : this.upcoming(job, now);
    if (job.policy.misfire === "RunOnce") this.startDue(job, "CatchUp", due);
    else this.startDue(job, "Schedule", due, "Misfire");
    this.persistJob(job);
    return true;
  }

  /** The timer says the job is due. */
  private fire(jobId: string, due: number): void {
    const job = this.jobs.get(jobId);
    if (!job || !job.enabled || job.cancelled || this.phase !== "running") return;
    try {
      const now = this.clock.now();
      job.nextRunAt = job.schedule.type === "Once" ? null : this.upcoming(job, Math.max(now, due));
      this.arm(job);
      this.startDue(job, "Schedule", due);
    } catch (error) {
      this.logger.error("could not start a due job", { jobId, error: String(error) });
    }
  }

  /**
   * A due run (or its misfire record) is made by one instance: alone, at once;
   * in a cluster, by the one whose claim on the occurrence wins, and only if
   * no other instance runs the job against its overlap policy.
   */
  private startDue(job: Job, trigger: ExecutionTrigger, due: number, skipped?: ExecutionReason): void {
    const cluster = this.cluster;
    if (!cluster) {
      if (skipped) this.recordSkipped(job, trigger, due, null, skipped);
      else this.dispatch(job, trigger, due, null, false);
      this.persistJob(job);
      return;
    }
    void (async () => {
      if (!(await cluster.claimOccurrence(job.id, due))) return;
      const current = this.jobs.get(job.id);
      if (!current || this.phase !== "running") return;
      if (skipped) this.recordSkipped(current, trigger, due, null, skipped);
      else if (!(await cluster.claimRun(current.id, current.policy.overlap))) this.recordSkipped(current, trigger, due, null, "Overlap");
      else this.claimedBy(current.id, () => this.dispatch(current, trigger, due, null, false));
      this.persistJob(current);
    })().catch((error: unknown) => this.logger.error("could not claim a due run", { jobId: job.id, error: String(error) }));
  }

  /** Hands a granted claimRun slot to the run `make` prepares, or gives it back if none was prepared. */
  private claimedBy<T>(jobId: string, make: () => T): T {
    if (!this.cluster) return make();
    this.slotClaimed = true;
    try {
      return make();
    } finally {
      if (this.slotClaimed) {
        this.slotClaimed = false;
        this.cluster.releaseRun(jobId);
      }
    }
  }

  /**
   * Takes in a change another instance made to a job (cluster mode): `job` as
   * now stored, or undefined once deleted. Runs in progress here go on.
   */
  syncJob(id: string, job: Job | undefined): void {
    if (job === undefined) {
      if (this.jobs.delete(id)) this.timers.remove(id);
      return;
    }
    this.jobs.set(id, job);
    this.runtimeOf(job);
    this.applyConcurrency(job);
    if (this.phase === "running") this.arm(job);
  }

  /** Starts a run, queues it, or records it skipped, as the overlap policy says. */
  private dispatch(job: Job, trigger: ExecutionTrigger, scheduledFor: number, initiatedBy: string | null, manual: true): Promise<Execution>;
  private dispatch(job: Job, trigger: ExecutionTrigger, scheduledFor: number, initiatedBy: string | null, manual: false): Execution;
  private dispatch(job: Job, trigger: ExecutionTrigger, scheduledFor: number, initiatedBy: string | null, manual: boolean): Execution | Promise<Execution> {
    const runtime = this.runtimeOf(job);
    if (runtime.running.size > 0) {
      const overlap = job.policy.overlap;
      if (overlap === "Skip" || (overlap === "Queue" && runtime.waiting)) {
        if (manual) {
          throw new ShoalError("AlreadyRunning", `Job "${job.id}" is already running${overlap === "Queue" ? " and has a run waiting" : ""}`);
        }
        return this.recordSkipped(job, trigger, scheduledFor, initiatedBy, "Overlap");
      }
      if (overlap === "Queue") {
        const waiting = this.prepare(job, trigger, scheduledFor, initiatedBy, runtime);
        runtime.waiting = waiting;
        this.persistExecution(waiting.runner.record);
        return waiting.runner.record;
      }
    }
    const live = this.prepare(job, trigger, scheduledFor, initiatedBy, runtime);
    if (manual) return this.beginOnceSaved(job, live, runtime);
    this.begin(job, live, runtime);
    return live.runner.record;
  }

  /**
   * A run someone asked for starts only once its record is durable: if it
   * cannot be saved (a full disk) the caller is refused before any action has
   * touched a target, rather than told "accepted" about a run only memory
   * knows. The run holds its overlap slot meanwhile. Scheduled runs do not
   * wait: their first record rides the batched writes.
   */
  private async beginOnceSaved(job: Job, live: LiveExecution, runtime: JobRuntime): Promise<Execution> {
    const record = live.runner.record;
    runtime.running.add(live);
    try {
      await this.store.saveExecution(record);
    } catch (error) {
      runtime.running.delete(live);
      this.live.delete(record.id);
      if (live.clusterSlot) this.cluster?.releaseRun(job.id);
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

  /** `variant` runs a given record (a resumed one), a job view and an action call of its own (a revert). */
  private prepare(
    job: Job,
    trigger: ExecutionTrigger,
    scheduledFor: number,
    initiatedBy: string | null,
    runtime: JobRuntime,
    variant: { record: Execution; job?: Job; invoke?: (action: ActionDefinition, ctx: ActionContext) => Promise<unknown> } | undefined = undefined,
  ): LiveExecution {
    const record = variant?.record ?? newExecution({ id: this.ids.next("Exec"), job, trigger, initiatedBy, scheduledFor });
    const runJob = variant?.job ?? job;
    const runner = new ExecutionRunner(runJob, record, {
      locks: this.locks,
      ...(variant?.invoke && { invoke: variant.invoke }),
      clock: this.clock,
      pool: this.workers,
      jobLimiter: runtime.limiter,
      actions: this.actions,
      logger: this.logger,
      random: this.random,
      save: (execution) => (this.jobs.has(execution.jobId) ? this.store.saveExecution(execution) : Promise.resolve()),
      onTaskStarted: (stepIndex, result, targetIndex) => this.saveTaskResult(record, stepIndex, targetIndex, result),
      onTaskFinished: (stepIndex, result, targetIndex) => {
        this.saveTaskResult(record, stepIndex, targetIndex, result);
        if (!this.emitter.has("taskFinished")) return;
        const step = runJob.steps[stepIndex]!;
        this.emitter.emit("taskFinished", {
          jobId: job.id,
          executionId: record.id,
          stepIndex,
          stepName: step.name,
          action: step.action,
          result: plainCopy(result),
        });
      },
      onTaskRetrying: (stepIndex, target, attempt, error, delayMs) => {
        if (!this.emitter.has("taskRetrying")) return;
        const step = job.steps[stepIndex]!;
        this.emitter.emit("taskRetrying", {
          jobId: job.id,
          executionId: record.id,
          stepIndex,
          stepName: step.name,
          action: step.action,
          target,
          attempt,
          error: plainCopy(error),
          delayMs,
        });
      },
    });
    let resolveDone!: (execution: Execution) => void;
    const done = new Promise<Execution>((resolve) => (resolveDone = resolve));
    const live: LiveExecution = { runner, done, resolveDone, clusterSlot: this.slotClaimed };
    this.slotClaimed = false;
    this.live.set(record.id, live);
    return live;
  }

  private begin(job: Job, live: LiveExecution, runtime: JobRuntime): void {
    runtime.running.add(live);
    const finished = live.runner.run();
    const record = live.runner.record;
    if (record.startedAt !== null && !live.resumed) {
      job.lastRunAt = record.startedAt;
      job.runCount++;
    }
    this.persistExecution(record);
    if (this.emitter.has("executionStarted")) this.emitter.emit("executionStarted", plainCopy(record));
    finished.then(
      (final) => this.finished(live, runtime, final),
      (error: unknown) => {
        this.logger.error("execution runner failed", { executionId: record.id, error: String(error) });
        this.finished(live, runtime, record);
      },
    );
  }

  private finished(live: LiveExecution, runtime: JobRuntime, record: Execution): void {
    this.live.delete(record.id);
    runtime.running.delete(live);
    if (live.clusterSlot) this.cluster?.releaseRun(record.jobId);
    if (this.emitter.has("executionFinished")) this.emitter.emit("executionFinished", plainCopy(record));
    live.resolveDone(record);
    this.afterHalt(record);
    const next = runtime.waiting;
    if (next && runtime.running.size === 0) {
      const job = this.jobs.get(record.jobId);
      if (job) {
        runtime.waiting = null;
        this.begin(job, next, runtime);
        this.persistJob(job);
      } else {
        this.discardWaiting(runtime, "JobDeleted");
      }
    }
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
    if (!this.jobs.has(record.jobId)) return;
    if (!this.store.saveTargetResult) {
      this.persistExecution(record);
      return;
    }
    this.store.saveTargetResult(record.id, stepIndex, targetIndex, result).catch((error: unknown) => {
      this.logger.error("could not save a task's result", { executionId: record.id, target: result.target, error: String(error) });
    });
  }

  /** A rollout that halted with onHalt Revert undoes what it changed. */
  private afterHalt(record: Execution): void {
    if (record.state !== "Halted" || this.jobs.get(record.jobId)?.policy.rollout?.onHalt !== "Revert") return;
    this.revertExecution(record.id, { initiatedBy: `rollout:${record.id}` }).catch((error: unknown) =>
      this.logger.error("could not revert a halted rollout", { executionId: record.id, error: String(error) }),
    );
  }

  /** Ends the run waiting its turn, if any, as Cancelled without starting it. */
  private discardWaiting(runtime: JobRuntime, reason: ExecutionReason): void {
    const waiting = runtime.waiting;
    if (!waiting) return;
    runtime.waiting = null;
    waiting.runner.cancel(reason);
    void waiting.runner.run().then((final) => this.finished(waiting, runtime, final));
  }

  private recordSkipped(job: Job, trigger: ExecutionTrigger, scheduledFor: number, initiatedBy: string | null, reason: ExecutionReason): Execution {
    const record = skippedExecution({
      id: this.ids.next("Exec"),
      job,
      trigger,
      initiatedBy,
      scheduledFor,
      at: this.clock.now(),
      reason,
    });
    this.persistExecution(record);
    if (this.emitter.has("executionSkipped")) this.emitter.emit("executionSkipped", plainCopy(record));
    return record;
  }

  /**
   * Bookkeeping writes (nextRunAt, lastRunAt, runCount, a run's first record)
   * are batched and issued right after the current burst of work, so a thousand
   * jobs falling due at once start their actions before any copying for the
   * store happens. Each write copies the live object when issued, so the store
   * gets the latest state. Reads through the scheduler issue pending writes
   * first and so always see them. A failure is logged, not thrown at a timer.
   */
  private persistJob(job: Job): void {
    if (this.jobs.get(job.id) !== job) return;
    this.unsavedJobs.add(job);
    this.scheduleWrites();
  }

  private persistExecution(record: Execution): void {
    this.unsavedExecutions.add(record);
    this.scheduleWrites();
  }

  private scheduleWrites(): void {
    if (this.writesScheduled) return;
    this.writesScheduled = true;
    setImmediate(() => void this.writePending());
  }

  /** Issues every batched write now; resolves when they are durable. */
  private writePending(): Promise<void> {
    this.writesScheduled = false;
    if (this.unsavedJobs.size === 0 && this.unsavedExecutions.size === 0) return Promise.resolve();
    const writes: Promise<void>[] = [];
    for (const job of this.unsavedJobs) {
      if (this.jobs.get(job.id) !== job) continue;
      writes.push(this.store.saveJob(job).catch((error: unknown) => this.logger.error("could not save job", { jobId: job.id, error: String(error) })));
    }
    this.unsavedJobs.clear();
    for (const record of this.unsavedExecutions) {
      // A run that already ended was saved by its own final write.
      if (!this.jobs.has(record.jobId) || (record.state !== "Skipped" && isFinal(record.state))) continue;
      writes.push(
        this.store
          .saveExecution(record)
          .catch((error: unknown) => this.logger.error("could not save execution", { executionId: record.id, error: String(error) })),
      );
    }
    this.unsavedExecutions.clear();
    return Promise.all(writes).then(() => undefined);
  }
}

function checkPrecondition(job: Job, options: JobWriteOptions): void {
  if (options.precondition && !options.precondition(plainCopy(job))) {
    throw new ShoalError("PreconditionFailed", `Job "${job.id}" has changed since the version the change was based on`);
  }
}

function checkPoolSize(size: unknown): number {
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1 || size > MAX_POOL_SIZE) {
    throw ShoalError.validation(
      [{ path: "/workerPoolSize", kind: "outOfRange", message: `must be a whole number from 1 to ${MAX_POOL_SIZE}`, value: size }],
      "options",
    );
  }
  return size;
}

/** A deep copy of plain data; anything else (functions, class instances with hidden state) is refused. */
function validatedCopy<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch (error) {
    throw ShoalError.validation([{ path: "", kind: "type", message: `must be plain data: ${String(error)}` }], "job");
  }
}

function storeError(error: unknown): ShoalError {
  if (error instanceof ShoalError) return error;
  return new ShoalError("StoreError", `The store failed: ${error instanceof Error ? error.message : String(error)}`);
}

