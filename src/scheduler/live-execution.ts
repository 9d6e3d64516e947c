/**
 * One execution the scheduler is driving (running, or waiting its turn under
 * overlap Queue): its runner, and the environment that runner reports to.
 *
 * The run is its runner's environment: a timer that starts a thousand runs at
 * once makes one object per run here, not an environment object and a closure
 * per callback.
 */
import type { Execution, TargetResult, TaskError } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import type { ActionContext, ActionDefinition } from "./actions.js";
import type { Clock } from "./clock.js";
import { ExecutionRunner, type RunnerEnvironment } from "./execution-runner.js";
import type { Logger } from "./logger.js";
import type { TargetLocks } from "./target-lock.js";
import type { WorkerPool } from "./worker-pool.js";

/** Per-job runtime state, never persisted. */
export interface JobRuntime {
  running: Set<LiveExecution>;
  /** The one run waiting under overlap Queue. */
  waiting: LiveExecution | null;
  /** policy.maxConcurrency, shared by all runs of the job. */
  limiter: WorkerPool | undefined;
}

/** What every run shares: the scheduler's pool, locks, actions, clock. */
export interface RunBase {
  clock: Clock;
  pool: WorkerPool;
  locks: TargetLocks;
  actions: ReadonlyMap<string, ActionDefinition>;
  logger: Logger;
  random: () => number;
}

/** Where a run's saves and task notices go (LiveRuns). */
export interface RunOwner {
  saveRun(live: LiveExecution, record: Execution): Promise<void>;
  taskStarted(live: LiveExecution, stepIndex: number, result: TargetResult, targetIndex: number): void;
  taskFinished(live: LiveExecution, stepIndex: number, result: TargetResult, targetIndex: number): void;
  taskRetrying(live: LiveExecution, stepIndex: number, target: string, attempt: number, error: TaskError, delayMs: number): void;
}

export class LiveExecution implements RunnerEnvironment {
  readonly runner: ExecutionRunner;
  /** A halted run going on: it is not a new run of the job. */
  resumed = false;
  /** It holds a ClusterHooks.claimRun slot, given back when it ends. */
  clusterSlot: boolean;
  readonly clock: Clock;
  readonly pool: WorkerPool;
  readonly jobLimiter: WorkerPool | undefined;
  readonly actions: ReadonlyMap<string, ActionDefinition>;
  readonly logger: Logger;
  readonly random: () => number;
  readonly locks: TargetLocks;
  readonly invoke?: (action: ActionDefinition, ctx: ActionContext) => Promise<unknown>;
  /** Made on first use: most runs end without anyone waiting on them. */
  private donePromise: Promise<Execution> | null = null;
  private resolveDone: ((execution: Execution) => void) | null = null;
  private final: Execution | null = null;

  constructor(
    private readonly owner: RunOwner,
    base: RunBase,
    /** The job as the scheduler holds it (the run's `runner.job` may be a view of it, for a revert). */
    readonly job: Job,
    runJob: Job,
    record: Execution,
    readonly runtime: JobRuntime,
    clusterSlot: boolean,
    invoke: ((action: ActionDefinition, ctx: ActionContext) => Promise<unknown>) | undefined,
  ) {
    this.clusterSlot = clusterSlot;
    this.clock = base.clock;
    this.pool = base.pool;
    this.jobLimiter = runtime.limiter;
    this.actions = base.actions;
    this.logger = base.logger;
    this.random = base.random;
    this.locks = base.locks;
    if (invoke) this.invoke = invoke;
    this.runner = new ExecutionRunner(runJob, record, this);
  }

  get record(): Execution {
    return this.runner.record;
  }

  /** Resolves with the final record once the run has ended and that record is saved. */
  get done(): Promise<Execution> {
    if (this.donePromise === null) {
      if (this.final !== null) this.donePromise = Promise.resolve(this.final);
      else this.donePromise = new Promise<Execution>((resolve) => (this.resolveDone = resolve));
    }
    return this.donePromise;
  }

  /** The run has ended: whoever waits on `done` gets the final record. */
  ended(record: Execution): void {
    this.final = record;
    this.resolveDone?.(record);
    this.resolveDone = null;
  }

  save(record: Execution): Promise<void> {
    return this.owner.saveRun(this, record);
  }

  onTaskStarted(stepIndex: number, result: TargetResult, targetIndex: number): void {
    this.owner.taskStarted(this, stepIndex, result, targetIndex);
  }

  onTaskFinished(stepIndex: number, result: TargetResult, targetIndex: number): void {
    this.owner.taskFinished(this, stepIndex, result, targetIndex);
  }

  onTaskRetrying(stepIndex: number, target: string, attempt: number, error: TaskError, delayMs: number): void {
    this.owner.taskRetrying(this, stepIndex, target, attempt, error, delayMs);
  }
}
