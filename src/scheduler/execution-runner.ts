import { setMaxListeners } from "node:events";
import type { Execution, ExecutionReason, TargetResult, TaskError } from "../executions/types.js";
import type { Job, Step } from "../jobs/types.js";
import type { ActionContext, ActionDefinition } from "./actions.js";
import { changeReportOf } from "./change-report.js";
import type { Clock } from "./clock.js";
import { AFTER_TASK_ERROR, afterTaskReason, healthOf, iso, percentCompleteOf, soleTarget, stepGroups, stepOutcome } from "./execution-record.js";
import { withFields, type Logger } from "./logger.js";
import { backoffDelay, mayRetry } from "./retry.js";
import { batchCount, FailureBudget, ROLLOUT_HALTED, wavesOf, type HaltReason } from "./rollout.js";
import type { Lease, TargetLocks } from "./target-lock.js";
import { cancelledError, inFlightError, retryAfterOf, timeoutError, toTaskError } from "./task-error.js";
import { AbandonScope, DROPPED, type WorkerPool } from "./worker-pool.js";

export interface RunnerEnvironment {
  clock: Clock;
  /** The scheduler's shared pool. */
  pool: WorkerPool;
  /** The job's own cap (policy.maxConcurrency), taken before a pool slot so waiting never holds one. */
  jobLimiter: WorkerPool | undefined;
  actions: ReadonlyMap<string, ActionDefinition>;
  logger: Logger;
  random: () => number;
  /** Persists the record (the store copies it); resolves when durable. */
  save(record: Execution): Promise<void>;
  /** `targetIndex` is the result's place in its step's targets. */
  onTaskFinished(stepIndex: number, result: TargetResult, targetIndex: number): void;
  /** A target's first attempt is about to call its action (the result says Running). */
  onTaskStarted?(stepIndex: number, result: TargetResult, targetIndex: number): void;
  /** One writer per target across every run; a task holds its target while its action runs. */
  locks: TargetLocks;
  /** Calls the action for one try (a revert run calls `revert` instead of `run`); default `run`. */
  invoke?(action: ActionDefinition, ctx: ActionContext): Promise<unknown>;
  /** An attempt failed transiently; the task waits `delayMs` and tries again. */
  onTaskRetrying?(stepIndex: number, target: string, attempt: number, error: TaskError, delayMs: number): void;
}

/** Why a run was stopped from outside. */
type Stop = { kind: "Cancelled"; reason: ExecutionReason } | { kind: "ExecutionTimeout" };

/** Marks an attempt aborted by its own task timeout. */
const TASK_TIMEOUT = Symbol("task timeout");

type AttemptOutcome =
  | { kind: "ok"; output: unknown }
  | { kind: "error"; error: TaskError; retryAfterMs: number | undefined }
  /** `sent`: the action had been called, so the target may have been changed. */
  | { kind: "stopped"; sent?: boolean };

/**
 * Drives one execution: step groups in order, every step's targets fanned out
 * through the pool, retries, timeouts, cancellation, and the record's derived
 * fields (step states, health, percentComplete). The record it mutates is the
 * live one; snapshots go to the store at each group end and at the end.
 */
export class ExecutionRunner {
  /** Abandoned when the run stops: queued tasks drop out, in-flight ones are let go, retry waits end. */
  private readonly scope = new AbandonScope();
  /** The signal actions see when they have no task timeout of their own; made on first use. */
  private controller: AbortController | null = null;
  private stop: Stop | null = null;
  private executionTimer: unknown = null;
  private finished = false;
  private readonly totalTargets: number;
  private resolvedTargets = 0;
  /** Set when a rollout wave used up the failure budget; the rest of the run is skipped. */
  private haltedFor: HaltReason | null = null;
  private budget: FailureBudget | null = null;

  constructor(
    readonly job: Job,
    readonly record: Execution,
    private readonly env: RunnerEnvironment,
  ) {
    this.totalTargets = record.steps.reduce((n, step) => n + step.targets.length, 0);
    // A resumed run counts what its first part already settled.
    for (const step of record.steps) for (const t of step.targets) if (t.status !== "Pending" && t.status !== "Cancelled") this.resolvedTargets++;
  }

  /** Aborted when the run is cancelled or times out. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      // Every in-flight task of the run listens on this one signal; hundreds is normal, not a leak.
      setMaxListeners(0, this.controller.signal);
      if (this.stop) this.controller.abort(abortReason(this.stop));
    }
    return this.controller.signal;
  }

  get done(): boolean {
    return this.finished;
  }

  /**
   * Stops the run: queued tasks are dropped (Cancelled), in-flight ones aborted
   * and recorded as Unknown, since their request may have taken effect, without
   * waiting for them (a late result is discarded). The
   * run's promise settles within a few microtasks.
   */
  cancel(reason: ExecutionReason = "Cancelled"): boolean {
    if (this.finished || this.stop) return false;
    this.halt({ kind: "Cancelled", reason });
    return true;
  }

  async run(): Promise<Execution> {
    const { record, job, env } = this;
    if (this.stop === null) {
      record.state = "Running";
      record.startedAt ??= iso(env.clock.now());
      this.startRollout();
      const limit = job.policy.executionTimeoutMs;
      if (limit !== undefined) {
        this.executionTimer = env.clock.setTimeout(() => this.halt({ kind: "ExecutionTimeout" }), limit);
      }
    }
    let failedStep: string | null = null;
    const groups = stepGroups(job.steps);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      if (this.stop || failedStep !== null || this.haltedFor !== null) {
        this.close(group, this.stop ? "Cancelled" : "Skipped");
        continue;
      }
      for (let i = 0; i < group.length; i++) record.steps[group[i]!]!.state = "Running";
      // One step, one target, no rollout (most scheduled jobs): the task without runStep's async frame.
      const sole = group.length === 1 && !job.policy.rollout ? soleTarget(record.steps[group[0]!]!) : undefined;
      if (sole) {
        await this.runTask(group[0]!, sole, 0);
        record.steps[group[0]!]!.state = stepOutcome(record.steps[group[0]!]!.targets);
      } else if (group.length === 1) await this.runStep(group[0]!);
      else await Promise.all(group.map((s) => this.runStep(s)));
      for (let i = 0; i < group.length; i++) {
        const s = group[i]!;
        const step = record.steps[s]!;
        if (step.state === "Failed" && !job.steps[s]!.continueOnFailure && failedStep === null) failedStep = step.name;
      }
      if (g < groups.length - 1) {
        record.percentComplete = percentCompleteOf(record);
        void this.persist();
      }
    }
    this.finish(failedStep);
    await this.persist();
    return record;
  }

  /** Settles the record's final state; the caller saves it. */
  private finish(failedStep: string | null): void {
    const { record, env } = this;
    if (this.executionTimer !== null) env.clock.clearTimeout(this.executionTimer);
    const stop = this.stop;
    if (stop?.kind === "Cancelled") {
      record.state = "Cancelled";
      record.reason = stop.reason;
    } else if (stop?.kind === "ExecutionTimeout") {
      record.state = "Failed";
      record.reason = "ExecutionTimeout";
    } else if (this.haltedFor !== null) {
      record.state = "Halted";
      record.reason = this.haltedFor;
    } else if (failedStep !== null) {
      record.state = "Failed";
      record.reason = `StepFailed: ${failedStep}`;
    } else {
      record.state = "Completed";
      record.reason = afterTaskReason(record);
    }
    record.endedAt = iso(env.clock.now());
    record.health = healthOf(record);
    record.percentComplete = percentCompleteOf(record);
    this.finished = true;
  }

  private async persist(): Promise<void> {
    try {
      await this.env.save(this.record);
    } catch (error) {
      this.env.logger.error("could not save execution", { executionId: this.record.id, error: String(error) });
    }
  }

  /** Marks the steps of a group that will not run, and their targets. */
  private close(group: readonly number[], as: "Skipped" | "Cancelled"): void {
    for (const s of group) {
      const step = this.record.steps[s]!;
      step.state = as;
      for (const t of step.targets) {
        if (t.status !== "Pending") continue;
        t.status = as;
        if (as === "Skipped" && this.haltedFor !== null) t.reason = ROLLOUT_HALTED;
      }
    }
  }

  private halt(stop: Stop): void {
    if (this.stop || this.finished) return;
    this.stop = stop;
    this.controller?.abort(abortReason(stop));
    this.scope.abandon();
  }

  /** A step's targets still Pending (all of them, unless the run is resumed), at once or in rollout waves. */
  private async runStep(s: number): Promise<void> {
    const step = this.record.steps[s]!;
    const rollout = this.job.policy.rollout;
    if (!rollout) {
      await Promise.all(step.targets.map((result, i) => (result.status === "Pending" ? this.runTask(s, result, i) : undefined)));
    } else {
      const waves = wavesOf(step.targets.length, rollout);
      for (let w = 0; w < waves.length; w++) {
        const indexes = waves[w]!.filter((i) => step.targets[i]!.status === "Pending");
        if (indexes.length === 0) continue;
        const wave = indexes.map((i) => step.targets[i]!);
        if (this.stop || this.haltedFor !== null) break;
        const canary = w === 0 && rollout.canary > 0;
        this.record.rollout!.batch = canary ? 0 : rollout.canary > 0 ? w : w + 1;
        await Promise.all(indexes.map((i) => this.runTask(s, step.targets[i]!, i)));
        this.budget!.record(wave);
        const halt = this.budget!.verdict(wave, canary);
        if (halt !== null) this.haltRollout(halt);
        else if (rollout.pauseMs > 0 && w < waves.length - 1 && !(await this.sleep(rollout.pauseMs))) break;
        this.record.percentComplete = percentCompleteOf(this.record);
        void this.persist();
      }
      // Waves never started: skipped by the halt, or cancelled with the run.
      for (const t of step.targets) {
        if (t.status !== "Pending") continue;
        if (this.stop) t.status = "Cancelled";
        else {
          t.status = "Skipped";
          t.reason = ROLLOUT_HALTED;
        }
      }
    }
    step.state = stepOutcome(step.targets);
  }

  /** Rollout bookkeeping for a run that starts or resumes: waves are counted anew, the budget is fresh. */
  private startRollout(): void {
    const rollout = this.job.policy.rollout;
    if (!rollout) return;
    this.budget = new FailureBudget(rollout.maxFailurePercent);
    const batches = Math.max(0, ...this.record.steps.map((step) => batchCount(step.targets.length, rollout)));
    this.record.rollout = { batch: this.record.rollout?.batch ?? 0, batches, halted: false, reason: null };
  }

  private haltRollout(reason: HaltReason): void {
    this.haltedFor = reason;
    this.record.rollout!.halted = true;
    this.record.rollout!.reason = reason;
    this.env.logger.info("rollout halted", { executionId: this.record.id, reason });
  }

  /** Every attempt of one target, then the action's afterTask hook, then the taskFinished notice. */
  private async runTask(s: number, result: TargetResult, index: number): Promise<void> {
    await this.attemptAll(s, result, index);
    await this.afterTask(s, result);
    this.env.onTaskFinished(s, result, index);
  }

  /**
   * Lets the action record what became of the task (the gateway writes a
   * result file) once no attempt remains. Its answer is kept on the result;
   * its failure is logged and noted, never turned into the task's outcome.
   */
  private async afterTask(s: number, result: TargetResult): Promise<void> {
    const step = this.job.steps[s]!;
    const hook = this.env.actions.get(step.action)?.afterTask;
    if (!hook) return;
    const ctx = new TaskContext(this, step, result.target, result.attempts, undefined, this.env.logger);
    try {
      const annotations = await hook({ job: ctx.job, execution: ctx.execution, step, target: result.target, payload: step.payload, result, log: ctx.log });
      if (annotations && typeof annotations === "object") result.annotations = { ...result.annotations, ...annotations };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log.error("afterTask failed", { action: step.action, error: message });
      result.annotations = { ...result.annotations, [AFTER_TASK_ERROR]: message };
    }
  }

  private async attemptAll(s: number, result: TargetResult, index: number): Promise<void> {
    const { env, job } = this;
    const step = job.steps[s]!;
    const action = env.actions.get(step.action);
    const scope = this.scope;
    for (let attempt = 1; ; attempt++) {
      let outcome: AttemptOutcome;
      if (!action) {
        outcome = { kind: "error", error: { type: "UnknownAction", message: `No action named "${step.action}"` }, retryAfterMs: undefined };
      } else {
        const attemptWork = (): Promise<AttemptOutcome> => this.attempt(s, result, action, attempt, index);
        const inPool = (): Promise<AttemptOutcome> =>
          env.pool.run(attemptWork, scope).then((o) => (o === DROPPED ? STOPPED : o));
        const queued = env.jobLimiter ? env.jobLimiter.run(inPool, scope) : inPool();
        const o = await queued;
        outcome = o === DROPPED ? STOPPED : o;
      }

      if (outcome.kind === "ok") {
        this.settle(s, result, "Success", undefined, outcome.output);
        return;
      }
      if (outcome.kind === "stopped") {
        this.settleStopped(s, result, outcome.sent === true);
        return;
      }
      const retry = job.policy.retry;
      if (outcome.error.transient && mayRetry(retry, attempt) && !this.stop) {
        const delay = backoffDelay(retry, attempt, { random: env.random, retryAfterMs: outcome.retryAfterMs });
        result.status = "Pending";
        result.error = outcome.error;
        env.onTaskRetrying?.(s, result.target, attempt, outcome.error, delay);
        if (!(await this.sleep(delay))) {
          // Between attempts: nothing is out, the last answer is known.
          this.settleStopped(s, result, false);
          return;
        }
        continue;
      }
      this.settle(s, result, "Error", outcome.error, undefined);
      return;
    }
  }

  /** One try of one target, inside its pool slot. */
  private async attempt(s: number, result: TargetResult, action: ActionDefinition, attempt: number, index: number): Promise<AttemptOutcome> {
    const { env, job } = this;
    if (this.stop) return STOPPED;
    result.status = "Running";
    result.attempts = attempt;
    result.startedAt ??= iso(env.clock.now());
    if (attempt === 1) env.onTaskStarted?.(s, result, index);

    // Only a task with a timeout needs a signal of its own; others share the run's.
    const taskTimeoutMs = job.policy.taskTimeoutMs;
    const own = taskTimeoutMs === undefined ? null : new AbortController();
    let interrupt!: (why: Interruption) => void;
    const interrupted = new Promise<Interruption>((resolve) => (interrupt = resolve));
    const unregister = this.scope.onAbandon(() => {
      own?.abort(abortReason(this.stop!));
      interrupt(this.stop!);
    });
    const timer =
      own === null
        ? null
        : env.clock.setTimeout(() => {
            own.abort(new DOMException(`Task did not finish within ${taskTimeoutMs} ms`, "TimeoutError"));
            interrupt(TASK_TIMEOUT);
          }, taskTimeoutMs!);
    let lease: Lease | undefined;
    try {
      const ctx = new TaskContext(this, job.steps[s]!, result.target, attempt, own?.signal, env.logger);
      const invoke = env.invoke ?? ((a: ActionDefinition, c: ActionContext) => a.run(c));
      lease = env.locks.lease(result.target, () => ctx.signal);
      const work = lease.granted.then(() => invoke(action, ctx));
      // The action may ignore its signal and settle long after we gave up on it.
      work.catch(() => {});
      const settled = await Promise.race([work.then(succeeded, failed), interrupted]);
      if (!isInterruption(settled)) return settled;
      if (settled === TASK_TIMEOUT) return { kind: "error", error: timeoutError(taskTimeoutMs ?? 0), retryAfterMs: undefined };
      if (settled.kind === "ExecutionTimeout") {
        return { kind: "error", error: { type: "Timeout", message: "The execution ran out of time" }, retryAfterMs: undefined };
      }
      return STOPPED_IN_FLIGHT;
    } finally {
      lease?.end();
      if (timer !== null) env.clock.clearTimeout(timer);
      unregister();
    }
  }

  /** Waits out a retry delay; false if the run was stopped meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    if (this.scope.abandoned) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = this.env.clock.setTimeout(() => {
        unregister();
        resolve(true);
      }, ms);
      const unregister = this.scope.onAbandon(() => {
        this.env.clock.clearTimeout(timer);
        resolve(false);
      });
    });
  }

  private settleStopped(s: number, result: TargetResult, sent: boolean): void {
    if (sent && this.stop?.kind === "Cancelled") {
      this.settle(s, result, "Unknown", inFlightError(this.stop.reason), undefined);
    } else if (this.stop?.kind === "ExecutionTimeout" && result.attempts === 0) {
      this.settle(s, result, "Cancelled", cancelledError("The execution ran out of time before this task started"), undefined);
    } else if (this.stop?.kind === "ExecutionTimeout") {
      this.settle(s, result, "Error", { type: "Timeout", message: "The execution ran out of time" }, undefined);
    } else {
      this.settle(s, result, "Cancelled", cancelledError(), undefined);
    }
  }

  private settle(s: number, result: TargetResult, status: "Success" | "Error" | "Cancelled" | "Unknown", error: TaskError | undefined, output: unknown): void {
    result.status = status;
    result.ok = status === "Success";
    result.endedAt = iso(this.env.clock.now());
    if (error) result.error = error;
    else delete result.error;
    if (output !== undefined) {
      result.output = output;
      Object.assign(result, changeReportOf(output));
    }
    if (status !== "Cancelled") {
      this.resolvedTargets++;
      this.record.percentComplete = Math.floor((this.resolvedTargets * 100) / this.totalTargets);
    }
  }
}

type Interruption = Stop | typeof TASK_TIMEOUT;

function isInterruption(value: AttemptOutcome | Interruption): value is Interruption {
  return value === TASK_TIMEOUT || value.kind === "Cancelled" || value.kind === "ExecutionTimeout";
}

const STOPPED: AttemptOutcome = { kind: "stopped" };
const STOPPED_IN_FLIGHT: AttemptOutcome = { kind: "stopped", sent: true };

function succeeded(output: unknown): AttemptOutcome {
  return { kind: "ok", output };
}

function failed(thrown: unknown): AttemptOutcome {
  return { kind: "error", error: toTaskError(thrown), retryAfterMs: retryAfterOf(thrown) };
}

/** What an action's signal carries as its reason, like fetch and undici expect. */
function abortReason(stop: Stop): DOMException {
  return stop.kind === "ExecutionTimeout"
    ? new DOMException("The execution ran out of time", "TimeoutError")
    : new DOMException(`Execution cancelled (${stop.reason})`, "AbortError");
}

/**
 * The ctx handed to an action. Its signal and logger are made on first use:
 * most actions never look at one of them, and a run may have thousands of tasks.
 */
class TaskContext implements ActionContext {
  readonly #runner: ExecutionRunner;
  readonly #signal: AbortSignal | undefined;
  readonly #logger: Logger;
  #log: Logger | undefined;

  constructor(runner: ExecutionRunner, readonly step: Step, readonly target: string, readonly attempt: number, signal: AbortSignal | undefined, logger: Logger) {
    this.#runner = runner;
    this.#signal = signal;
    this.#logger = logger;
  }

  get job(): Job {
    return this.#runner.job;
  }

  get execution(): Execution {
    return this.#runner.record;
  }

  get payload(): unknown {
    return this.step.payload;
  }

  get signal(): AbortSignal {
    return this.#signal ?? this.#runner.signal;
  }

  get log(): Logger {
    this.#log ??= withFields(this.#logger, {
      jobId: this.#runner.job.id,
      executionId: this.#runner.record.id,
      step: this.step.name,
      target: this.target,
      attempt: this.attempt,
    });
    return this.#log;
  }
}
