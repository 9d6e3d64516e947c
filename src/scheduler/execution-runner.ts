import { setMaxListeners } from "node:events";
import type { Execution, TargetResult, TaskError } from "../executions/types.js";
import type { Job, Step } from "../jobs/types.js";
import type { ActionContext, ActionDefinition } from "./actions.js";
import type { Clock } from "./clock.js";
import { AFTER_TASK_ERROR, afterTaskReason, healthOf, iso, percentCompleteOf, stepGroups, stepOutcome } from "./execution-record.js";
import { withFields, type Logger } from "./logger.js";
import { backoffDelay, mayRetry } from "./retry.js";
import { cancelledError, retryAfterOf, timeoutError, toTaskError } from "./task-error.js";
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
  onTaskFinished(stepIndex: number, result: TargetResult): void;
}

/** Why a run was stopped from outside. */
type Stop = { kind: "Cancelled"; reason: string } | { kind: "ExecutionTimeout" };

/** Marks an attempt aborted by its own task timeout. */
const TASK_TIMEOUT = Symbol("task timeout");

type AttemptOutcome =
  | { kind: "ok"; output: unknown }
  | { kind: "error"; error: TaskError; retryAfterMs: number | undefined }
  | { kind: "stopped" };

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

  constructor(
    readonly job: Job,
    readonly record: Execution,
    private readonly env: RunnerEnvironment,
  ) {
    this.totalTargets = record.steps.reduce((n, step) => n + step.targets.length, 0);
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
   * Stops the run: queued tasks are dropped, in-flight ones aborted and recorded
   * as Cancelled without waiting for them (a late result is discarded). The
   * run's promise settles within a few microtasks.
   */
  cancel(reason = "Cancelled"): boolean {
    if (this.finished || this.stop) return false;
    this.halt({ kind: "Cancelled", reason });
    return true;
  }

  async run(): Promise<Execution> {
    const { record, job, env } = this;
    if (this.stop === null) {
      record.state = "Running";
      record.startedAt ??= iso(env.clock.now());
      const limit = job.policy.executionTimeoutMs;
      if (limit !== undefined) {
        this.executionTimer = env.clock.setTimeout(() => this.halt({ kind: "ExecutionTimeout" }), limit);
      }
    }
    let failedStep: string | null = null;
    const groups = stepGroups(job.steps);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      if (this.stop || failedStep !== null) {
        this.close(group, this.stop ? "Cancelled" : "Skipped");
        continue;
      }
      for (const s of group) record.steps[s]!.state = "Running";
      await Promise.all(group.map((s) => this.runStep(s)));
      for (const s of group) {
        const step = record.steps[s]!;
        if (step.state === "Failed" && !job.steps[s]!.continueOnFailure && failedStep === null) failedStep = step.name;
      }
      if (g < groups.length - 1) {
        record.percentComplete = percentCompleteOf(record);
        void this.persist();
      }
    }
    return this.finish(failedStep);
  }

  private async finish(failedStep: string | null): Promise<Execution> {
    const { record, env } = this;
    if (this.executionTimer !== null) env.clock.clearTimeout(this.executionTimer);
    const stop = this.stop;
    if (stop?.kind === "Cancelled") {
      record.state = "Cancelled";
      record.reason = stop.reason;
    } else if (stop?.kind === "ExecutionTimeout") {
      record.state = "Failed";
      record.reason = "ExecutionTimeout";
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
    await this.persist();
    return record;
  }

  private async persist(): Promise<void> {
    try {
      await this.env.save(this.record);
    } catch (error) {
      this.env.logger.error("could not save execution", { executionId: this.record.id, error: String(error) });
    }
  }

  /** Marks the steps of a group that will not run, and their targets. */
  private close(group: number[], as: "Skipped" | "Cancelled"): void {
    for (const s of group) {
      const step = this.record.steps[s]!;
      step.state = as;
      for (const t of step.targets) t.status = as;
    }
  }

  private halt(stop: Stop): void {
    if (this.stop || this.finished) return;
    this.stop = stop;
    this.controller?.abort(abortReason(stop));
    this.scope.abandon();
  }

  private async runStep(s: number): Promise<void> {
    const step = this.record.steps[s]!;
    await Promise.all(step.targets.map((result) => this.runTask(s, result)));
    step.state = stepOutcome(step.targets);
  }

  /** Every attempt of one target, then the action's afterTask hook, then the taskFinished notice. */
  private async runTask(s: number, result: TargetResult): Promise<void> {
    await this.attemptAll(s, result);
    await this.afterTask(s, result);
    this.env.onTaskFinished(s, result);
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

  private async attemptAll(s: number, result: TargetResult): Promise<void> {
    const { env, job } = this;
    const step = job.steps[s]!;
    const action = env.actions.get(step.action);
    const scope = this.scope;
    for (let attempt = 1; ; attempt++) {
      let outcome: AttemptOutcome;
      if (!action) {
        outcome = { kind: "error", error: { type: "UnknownAction", message: `No action named "${step.action}"` }, retryAfterMs: undefined };
      } else {
        const attemptWork = (): Promise<AttemptOutcome> => this.attempt(s, result, action, attempt);
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
        this.settleStopped(s, result);
        return;
      }
      const retry = job.policy.retry;
      if (outcome.error.transient && mayRetry(retry, attempt) && !this.stop) {
        const delay = backoffDelay(retry, attempt, { random: env.random, retryAfterMs: outcome.retryAfterMs });
        result.status = "Pending";
        result.error = outcome.error;
        if (!(await this.sleep(delay))) {
          this.settleStopped(s, result);
          return;
        }
        continue;
      }
      this.settle(s, result, "Error", outcome.error, undefined);
      return;
    }
  }

  /** One try of one target, inside its pool slot. */
  private async attempt(s: number, result: TargetResult, action: ActionDefinition, attempt: number): Promise<AttemptOutcome> {
    const { env, job } = this;
    if (this.stop) return STOPPED;
    result.status = "Running";
    result.attempts = attempt;
    result.startedAt ??= iso(env.clock.now());

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
    try {
      const ctx = new TaskContext(this, job.steps[s]!, result.target, attempt, own?.signal, env.logger);
      const work = (async () => action.run(ctx))();
      // The action may ignore its signal and settle long after we gave up on it.
      work.catch(() => {});
      const settled = await Promise.race([work.then(succeeded, failed), interrupted]);
      if (!isInterruption(settled)) return settled;
      if (settled === TASK_TIMEOUT) return { kind: "error", error: timeoutError(taskTimeoutMs ?? 0), retryAfterMs: undefined };
      if (settled.kind === "ExecutionTimeout") {
        return { kind: "error", error: { type: "Timeout", message: "The execution ran out of time" }, retryAfterMs: undefined };
      }
      return STOPPED;
    } finally {
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

  private settleStopped(s: number, result: TargetResult): void {
    if (this.stop?.kind === "ExecutionTimeout" && result.attempts === 0) {
      this.settle(s, result, "Cancelled", cancelledError("The execution ran out of time before this task started"), undefined);
    } else if (this.stop?.kind === "ExecutionTimeout") {
      this.settle(s, result, "Error", { type: "Timeout", message: "The execution ran out of time" }, undefined);
    } else {
      this.settle(s, result, "Cancelled", cancelledError(), undefined);
    }
  }

  private settle(s: number, result: TargetResult, status: "Success" | "Error" | "Cancelled", error: TaskError | undefined, output: unknown): void {
    result.status = status;
    result.ok = status === "Success";
    result.endedAt = iso(this.env.clock.now());
    if (error) result.error = error;
    else delete result.error;
    if (output !== undefined) result.output = output;
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
