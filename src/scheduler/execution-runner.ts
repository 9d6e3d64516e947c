import { setMaxListeners } from "node:events";
import type { Execution, ExecutionReason, TargetResult, TaskError } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import type { ActionDefinition, AfterTaskContext } from "./actions.js";
import { changeReportOf } from "./change-report.js";
import { AFTER_TASK_ERROR, afterTaskReason, healthOf, iso, percentCompleteOf, soleTarget, stepGroups, stepOutcome } from "./execution-record.js";
import { backoffDelay, mayRetry } from "./retry.js";
import { batchCount, FailureBudget, ROLLOUT_HALTED, wavesOf, type HaltReason } from "./rollout.js";
import { abortReason, attemptTask, STOPPED, TaskContext, type AttemptEnvironment, type AttemptHost, type AttemptOutcome, type Stop } from "./task-attempt.js";
import { cancelledError, inFlightError } from "./task-error.js";
import { AbandonScope, DROPPED, type Dropped, type WorkerPool } from "./worker-pool.js";

/** A task that ended without a hook to wait for: one settled promise shared by all of them. */
const DONE: Promise<void> = Promise.resolve();

export interface RunnerEnvironment extends AttemptEnvironment {
  /** The scheduler's shared pool. */
  pool: WorkerPool;
  /** The job's own cap (policy.maxConcurrency), taken before a pool slot so waiting never holds one. */
  jobLimiter: WorkerPool | undefined;
  actions: ReadonlyMap<string, ActionDefinition>;
  random: () => number;
  /** Persists the record (the store copies it); resolves when durable. */
  save(record: Execution): Promise<void>;
  /** `targetIndex` is the result's place in its step's targets. */
  onTaskFinished(stepIndex: number, result: TargetResult, targetIndex: number): void;
  /** A target's first attempt is about to call its action (the result says Running). */
  onTaskStarted?(stepIndex: number, result: TargetResult, targetIndex: number): void;
  /** An attempt failed transiently; the task waits `delayMs` and tries again. */
  onTaskRetrying?(stepIndex: number, target: string, attempt: number, error: TaskError, delayMs: number): void;
}

/**
 * Drives one execution: step groups in order, every step's targets fanned out
 * through the pool, retries, timeouts, cancellation, and the record's derived
 * fields (step states, health, percentComplete). The record it mutates is the
 * live one; snapshots go to the store at each group end and at the end.
 */
export class ExecutionRunner implements AttemptHost {
  /** Abandoned when the run stops: queued tasks drop out, in-flight ones are let go, retry waits end. */
  readonly scope = new AbandonScope();
  /** Kept once over: see AttemptHost.latestTry. */
  latestTry: object | null = null;
  /** The signal actions see when they have no task timeout of their own; made on first use. */
  private controller: AbortController | null = null;
  private stop: Stop | null = null;
  private executionTimer: unknown = null;
  private began = false;
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

  get stopped(): Stop | null {
    return this.stop;
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

  /**
   * Marks the run started (Running, its start time, its execution timeout),
   * once, unless it was stopped first. run() does it too; the scheduler calls
   * it first so the job's bookkeeping is done before any action is called.
   */
  begin(): void {
    if (this.began || this.stop !== null) return;
    this.began = true;
    const { record, job, env } = this;
    record.state = "Running";
    record.startedAt ??= iso(env.clock.now());
    this.startRollout();
    const limit = job.policy.executionTimeoutMs;
    if (limit !== undefined) {
      this.executionTimer = env.clock.setTimeout(() => this.halt({ kind: "ExecutionTimeout" }), limit);
    }
  }

  /** Runs what is left of the run; resolves with the final record once it is saved. */
  run(): Promise<Execution> {
    this.begin();
    const { record, job } = this;
    // One step, one target, no rollout (most scheduled jobs): the task, then the end, without an async frame for the run.
    const sole = this.stop === null && job.steps.length === 1 && !job.policy.rollout ? soleTarget(record.steps[0]!) : undefined;
    if (!sole) return this.runGroups();
    record.steps[0]!.state = "Running";
    return this.runTask(0, sole, 0).then(() => {
      const step = record.steps[0]!;
      step.state = stepOutcome(step.targets);
      return this.end(step.state === "Failed" && !job.steps[0]!.continueOnFailure ? step.name : null);
    });
  }

  private async runGroups(): Promise<Execution> {
    const { record, job } = this;
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
    return this.end(failedStep);
  }

  /** Settles the record's final state and saves it; resolves with it once saved (or once saving failed, which is logged). */
  private end(failedStep: string | null): Promise<Execution> {
    this.finish(failedStep);
    const record = this.record;
    return this.saving().then(
      () => record,
      (error: unknown) => {
        this.saveFailed(error);
        return record;
      },
    );
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

  /** Saves a snapshot of the record; a failure is logged. */
  private persist(): Promise<void> {
    return this.saving().then(undefined, (error: unknown) => this.saveFailed(error));
  }

  private saving(): Promise<void> {
    try {
      return this.env.save(this.record);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private saveFailed(error: unknown): void {
    this.env.logger.error("could not save execution", { executionId: this.record.id, error: String(error) });
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

  /**
   * Lets the action record what became of the task (the gateway writes a
   * result file) once no attempt remains. Its answer is kept on the result;
   * its failure is logged and noted, never turned into the task's outcome.
   */
  private async afterTask(s: number, result: TargetResult, hook: (ctx: AfterTaskContext) => Promise<Record<string, unknown> | void>): Promise<void> {
    const step = this.job.steps[s]!;
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

  /**
   * Every attempt of one target, then the action's afterTask hook, then the
   * taskFinished notice. The first attempt is a plain promise chain and most
   * tasks end with it; only a task that waits to retry gets the async loop.
   */
  private runTask(s: number, result: TargetResult, index: number): Promise<void> {
    const action = this.env.actions.get(this.job.steps[s]!.action);
    if (!action) {
      this.applyOutcome(s, result, { kind: "error", error: { type: "UnknownAction", message: `No action named "${this.job.steps[s]!.action}"` }, retryAfterMs: undefined }, 1);
      // In a later microtask, as every other task's end: a throw there rejects this task, not its caller.
      return DONE.then(() => this.taskDone(s, result, index, undefined));
    }
    return this.inSlots(s, result, index, action, 1).then((o) => {
      const retryIn = this.applyOutcome(s, result, o === DROPPED ? STOPPED : o, 1);
      return retryIn === null ? this.taskDone(s, result, index, action) : this.retryTask(s, result, index, action, retryIn);
    });
  }

  /** The attempts after the first: each waits out its backoff, then tries again. */
  private async retryTask(s: number, result: TargetResult, index: number, action: ActionDefinition, firstDelay: number): Promise<void> {
    let delay: number | null = firstDelay;
    for (let attempt = 2; delay !== null; attempt++) {
      if (!(await this.sleep(delay))) {
        // Between attempts: nothing is out, the last answer is known.
        this.settleStopped(s, result, false);
        break;
      }
      const o = await this.inSlots(s, result, index, action, attempt);
      delay = this.applyOutcome(s, result, o === DROPPED ? STOPPED : o, attempt);
    }
    return this.taskDone(s, result, index, action);
  }

  /** Settles the task by the attempt's outcome, or returns the delay before its next attempt. */
  private applyOutcome(s: number, result: TargetResult, outcome: AttemptOutcome, attempt: number): number | null {
    if (outcome.kind === "ok") this.settle(s, result, "Success", undefined, outcome.output);
    else if (outcome.kind === "stopped") this.settleStopped(s, result, outcome.sent === true);
    else {
      const retry = this.job.policy.retry;
      if (outcome.error.transient && mayRetry(retry, attempt) && !this.stop) {
        const delay = backoffDelay(retry, attempt, { random: this.env.random, retryAfterMs: outcome.retryAfterMs });
        result.status = "Pending";
        result.error = outcome.error;
        this.env.onTaskRetrying?.(s, result.target, attempt, outcome.error, delay);
        return delay;
      }
      this.settle(s, result, "Error", outcome.error, undefined);
    }
    return null;
  }

  /** No attempt remains: the action's afterTask hook, if it has one, then the notice. */
  private taskDone(s: number, result: TargetResult, index: number, action: ActionDefinition | undefined): Promise<void> {
    if (action?.afterTask) return this.afterTask(s, result, action.afterTask).then(() => this.env.onTaskFinished(s, result, index));
    this.env.onTaskFinished(s, result, index);
    return DONE;
  }

  /** One try in the job's own cap (if it has one), then a pool slot; DROPPED if the run stopped while it waited. */
  private inSlots(s: number, result: TargetResult, index: number, action: ActionDefinition, attempt: number): Promise<AttemptOutcome | Dropped> {
    const { pool, jobLimiter } = this.env;
    const work = (): Promise<AttemptOutcome> => this.attempt(s, result, index, action, attempt);
    return jobLimiter ? jobLimiter.run(() => pool.run(work, this.scope), this.scope) : pool.run(work, this.scope);
  }

  /** One try of one target, inside its pool slot. */
  private attempt(s: number, result: TargetResult, index: number, action: ActionDefinition, attempt: number): Promise<AttemptOutcome> {
    const { env } = this;
    if (this.stop) return Promise.resolve(STOPPED);
    result.status = "Running";
    result.attempts = attempt;
    result.startedAt ??= iso(env.clock.now());
    if (attempt === 1) env.onTaskStarted?.(s, result, index);
    return attemptTask(this, env, this.job.steps[s]!, result.target, attempt, action);
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
