/**
 * One try of one target, inside its pool slot: take the target, call the
 * action, and answer with whichever comes first of the action's outcome, the
 * task's own timeout, or the run stopping.
 *
 * A try is one object and one promise. A timer that starts a thousand runs at
 * once starts a thousand tries; chains of promises raced against each other
 * cost several times the allocations (and the garbage collection) per try.
 */
import type { Execution, ExecutionReason, TaskError } from "../executions/types.js";
import type { Job, Step } from "../jobs/types.js";
import type { ActionContext, ActionDefinition } from "./actions.js";
import type { Clock } from "./clock.js";
import { withFields, type Logger } from "./logger.js";
import type { Lease, TargetLocks } from "./target-lock.js";
import { retryAfterOf, timeoutError, toTaskError } from "./task-error.js";
import type { AbandonScope, AbandonWatcher } from "./worker-pool.js";

/** Why a run was stopped from outside. */
export type Stop = { kind: "Cancelled"; reason: ExecutionReason } | { kind: "ExecutionTimeout" };

export type AttemptOutcome =
  | { kind: "ok"; output: unknown }
  | { kind: "error"; error: TaskError; retryAfterMs: number | undefined }
  /** `sent`: the action had been called, so the target may have been changed. */
  | { kind: "stopped"; sent?: boolean };

export const STOPPED: AttemptOutcome = { kind: "stopped" };
const STOPPED_IN_FLIGHT: AttemptOutcome = { kind: "stopped", sent: true };

/** What a try needs of the scheduler. */
export interface AttemptEnvironment {
  clock: Clock;
  logger: Logger;
  /** One writer per target across every run; a task holds its target while its action runs. */
  locks: TargetLocks;
  /** Calls the action for one try (a revert run calls `revert` instead of `run`); default `run`. */
  invoke?(action: ActionDefinition, ctx: ActionContext): Promise<unknown>;
}

/** The run a try belongs to (its ExecutionRunner). */
export interface AttemptHost {
  readonly job: Job;
  readonly record: Execution;
  /** Aborted when the run is cancelled or times out; made on first use. */
  readonly signal: AbortSignal;
  /** Why the run was stopped, once it was. */
  readonly stopped: Stop | null;
  /** Abandoned when the run stops. */
  readonly scope: AbandonScope;
  /** The run's latest try, kept after it is over (see LiveRuns' latestEnded: why a finished run is kept). */
  latestTry: object | null;
}

/** Tries the action once for `target`; see the module's comment. */
export function attemptTask(host: AttemptHost, env: AttemptEnvironment, step: Step, target: string, attempt: number, action: ActionDefinition): Promise<AttemptOutcome> {
  const attemptNow = new TaskAttempt(host, env, step, target, attempt);
  host.latestTry = attemptNow;
  return attemptNow.start(action);
}

class TaskAttempt implements AbandonWatcher {
  private answer!: (outcome: AttemptOutcome) => void;
  private over = false;
  /** The action has been called: the target may have been changed. */
  private called = false;
  /** Set when the target was taken at once; otherwise the lease that waits for it. */
  private holding = false;
  private lease: Lease | null = null;
  private timer: unknown = null;
  /** Only a task with a timeout needs a signal of its own; the others share the run's. */
  private readonly own: AbortController | null;
  private readonly ctx: TaskContext;

  constructor(
    private readonly host: AttemptHost,
    private readonly env: AttemptEnvironment,
    step: Step,
    private readonly target: string,
    attempt: number,
  ) {
    this.own = host.job.policy.taskTimeoutMs === undefined ? null : new AbortController();
    this.ctx = new TaskContext(host, step, target, attempt, this.own?.signal, env.logger);
  }

  start(action: ActionDefinition): Promise<AttemptOutcome> {
    const outcome = new Promise<AttemptOutcome>((resolve) => (this.answer = resolve));
    const { env, host } = this;
    if (!host.scope.watch(this)) {
      this.finish(STOPPED);
      return outcome;
    }
    const timeoutMs = host.job.policy.taskTimeoutMs;
    if (timeoutMs !== undefined) this.timer = env.clock.setTimeout(() => this.timedOut(timeoutMs), timeoutMs);
    if (env.locks.hold(this.target)) {
      this.holding = true;
      this.call(action);
    } else {
      this.lease = env.locks.lease(this.target, () => this.ctx.signal);
      this.lease.granted.then(
        () => this.call(action),
        (error: unknown) => this.finish(failed(error)),
      );
    }
    return outcome;
  }

  private call(action: ActionDefinition): void {
    if (this.over) return;
    this.called = true;
    let work: Promise<unknown>;
    try {
      work = Promise.resolve(this.env.invoke ? this.env.invoke(action, this.ctx) : action.run(this.ctx));
    } catch (error) {
      this.finish(failed(error));
      return;
    }
    // The action may ignore its signal and settle long after we gave up on it: then nothing listens.
    work.then(
      (output) => this.finish({ kind: "ok", output }),
      (error: unknown) => this.finish(failed(error)),
    );
  }

  /** The run stopped: an action already called may have changed its target. (The try watches its run's scope itself: see QueuedWork for why not a closure.) */
  abandoned(): void {
    const stop = this.host.stopped!;
    this.own?.abort(abortReason(stop));
    if (stop.kind === "ExecutionTimeout") this.finish({ kind: "error", error: { type: "Timeout", message: "The execution ran out of time" }, retryAfterMs: undefined });
    else this.finish(this.called ? STOPPED_IN_FLIGHT : STOPPED);
  }

  private timedOut(timeoutMs: number): void {
    this.timer = null;
    this.own!.abort(new DOMException(`Task did not finish within ${timeoutMs} ms`, "TimeoutError"));
    this.finish({ kind: "error", error: timeoutError(timeoutMs), retryAfterMs: undefined });
  }

  /** The first answer wins; the target is let go with it, so a late action cannot hold it from its own retry. */
  private finish(outcome: AttemptOutcome): void {
    if (this.over) return;
    this.over = true;
    if (this.holding) this.env.locks.free(this.target);
    else this.lease?.end();
    if (this.timer !== null) this.env.clock.clearTimeout(this.timer);
    this.host.scope.off(this);
    this.answer(outcome);
  }
}

function failed(thrown: unknown): AttemptOutcome {
  return { kind: "error", error: toTaskError(thrown), retryAfterMs: retryAfterOf(thrown) };
}

/** What an action's signal carries as its reason, like fetch and undici expect. */
export function abortReason(stop: Stop): DOMException {
  return stop.kind === "ExecutionTimeout"
    ? new DOMException("The execution ran out of time", "TimeoutError")
    : new DOMException(`Execution cancelled (${stop.reason})`, "AbortError");
}

/**
 * The ctx handed to an action. Its signal and logger are made on first use:
 * most actions never look at one of them, and a run may have thousands of tasks.
 */
export class TaskContext implements ActionContext {
  readonly #host: AttemptHost;
  readonly #signal: AbortSignal | undefined;
  readonly #logger: Logger;
  #log: Logger | undefined;

  constructor(host: AttemptHost, readonly step: Step, readonly target: string, readonly attempt: number, signal: AbortSignal | undefined, logger: Logger) {
    this.#host = host;
    this.#signal = signal;
    this.#logger = logger;
  }

  get job(): Job {
    return this.#host.job;
  }

  get execution(): Execution {
    return this.#host.record;
  }

  get payload(): unknown {
    return this.step.payload;
  }

  get signal(): AbortSignal {
    return this.#signal ?? this.#host.signal;
  }

  get log(): Logger {
    this.#log ??= withFields(this.#logger, {
      jobId: this.#host.job.id,
      executionId: this.#host.record.id,
      step: this.step.name,
      target: this.target,
      attempt: this.attempt,
    });
    return this.#log;
  }
}
