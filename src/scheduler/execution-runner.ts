import { setMaxListeners } from "node:events";
import type { Execution, TargetResult, TaskError } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import type { ActionDefinition } from "./actions.js";
import type { Clock } from "./clock.js";
import { healthOf, iso, percentCompleteOf, stepGroups, stepOutcome } from "./execution-record.js";
import { withFields, type Logger } from "./logger.js";
import { backoffDelay, mayRetry } from "./retry.js";
import { cancelledError, retryAfterOf, timeoutError, toTaskError } from "./task-error.js";
import { DROPPED, type WorkerPool } from "./worker-pool.js";

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
  private readonly controller = new AbortController();
  private readonly inFlight = new Set<AbortController>();
  private stop: Stop | null = null;
  private executionTimer: unknown = null;
  private finished = false;

  constructor(
    readonly job: Job,
    readonly record: Execution,
    private readonly env: RunnerEnvironment,
  ) {
    // Every queued task listens on this signal; thousands of targets are normal.
    setMaxListeners(0, this.controller.signal);
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
    this.controller.abort(stop);
    for (const task of this.inFlight) task.abort(stop);
  }

  private async runStep(s: number): Promise<void> {
    const step = this.record.steps[s]!;
    await Promise.all(step.targets.map((result) => this.runTask(s, result)));
    step.state = stepOutcome(step.targets);
  }

  private async runTask(s: number, result: TargetResult): Promise<void> {
    const { env, job } = this;
    const step = job.steps[s]!;
    const action = env.actions.get(step.action);
    const signal = this.controller.signal;
    for (let attempt = 1; ; attempt++) {
      let outcome: AttemptOutcome;
      if (!action) {
        outcome = { kind: "error", error: { type: "UnknownAction", message: `No action named "${step.action}"` }, retryAfterMs: undefined };
      } else {
        const attemptWork = (): Promise<AttemptOutcome> => this.attempt(s, result, action, attempt);
        const inPool = (): Promise<AttemptOutcome> =>
          env.pool.run(attemptWork, signal).then((o) => (o === DROPPED ? { kind: "stopped" } : o));
        const queued = env.jobLimiter ? env.jobLimiter.run(inPool, signal) : inPool();
        const o = await queued;
        outcome = o === DROPPED ? { kind: "stopped" } : o;
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
    const { env, job, record } = this;
    if (this.stop) return { kind: "stopped" };
    const now = env.clock.now();
    result.status = "Running";
    result.attempts = attempt;
    result.startedAt ??= iso(now);

    const task = new AbortController();
    this.inFlight.add(task);
    const taskTimeoutMs = job.policy.taskTimeoutMs;
    const timer = taskTimeoutMs === undefined ? null : env.clock.setTimeout(() => task.abort(TASK_TIMEOUT), taskTimeoutMs);
    const step = job.steps[s]!;
    try {
      const aborted = new Promise<"aborted">((resolve) =>
        task.signal.addEventListener("abort", () => resolve("aborted"), { once: true }),
      );
      const work = (async () =>
        action.run({
          job,
          execution: record,
          step,
          target: result.target,
          payload: step.payload,
          attempt,
          signal: task.signal,
          log: withFields(env.logger, { jobId: job.id, executionId: record.id, step: step.name, target: result.target, attempt }),
        }))();
      // The action may ignore its signal and settle long after we gave up on it.
      work.catch(() => {});
      const settled = await Promise.race([
        work.then(
          (output): AttemptOutcome => ({ kind: "ok", output }),
          (thrown: unknown): AttemptOutcome => ({ kind: "error", error: toTaskError(thrown), retryAfterMs: retryAfterOf(thrown) }),
        ),
        aborted,
      ]);
      if (settled !== "aborted") return settled;
      const why: unknown = task.signal.reason;
      if (why === TASK_TIMEOUT) return { kind: "error", error: timeoutError(taskTimeoutMs ?? 0), retryAfterMs: undefined };
      if (isStop(why) && why.kind === "ExecutionTimeout") {
        return { kind: "error", error: { type: "Timeout", message: "The execution ran out of time" }, retryAfterMs: undefined };
      }
      return { kind: "stopped" };
    } finally {
      if (timer !== null) env.clock.clearTimeout(timer);
      this.inFlight.delete(task);
    }
  }

  /** Waits out a retry delay; false if the run was stopped meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.controller.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.env.clock.clearTimeout(timer);
        resolve(false);
      };
      const timer = this.env.clock.setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
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
    this.env.onTaskFinished(s, result);
  }
}

function isStop(value: unknown): value is Stop {
  return typeof value === "object" && value !== null && "kind" in value;
}
