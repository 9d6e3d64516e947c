import type { Execution, TargetResult } from "../executions/types.js";
import type { Job, Step } from "../jobs/types.js";
import type { Logger } from "./logger.js";

/** What an action's run() is handed for one target of one step of one run. */
export interface ActionContext<Payload = unknown> {
  /** The job the run belongs to. */
  job: Readonly<Job>;
  /** The run in progress; read-only, it is the scheduler's live record. */
  execution: Readonly<Execution>;
  /** The step this task belongs to. */
  step: Readonly<Step>;
  /** The target this task is for (one of step.targets). */
  target: string;
  /** The step's payload. */
  payload: Payload;
  /** 1 for the first try, 2 for the first retry... */
  attempt: number;
  /** Aborted on task timeout, execution cancel or scheduler stop. Pass it to your I/O. */
  signal: AbortSignal;
  /** The scheduler's logger, with job, execution, step and target in every line. */
  log: Logger;
}

/**
 * A kind of work a step can do. `validate` runs when a job is created or its
 * steps change, once per target; throw a ShoalError (details relative to the
 * payload) or any Error to refuse. `run` does the work for one target; its
 * resolved value is kept as the target's `output`. Throw an error with
 * `transient: true` to ask for a retry, and `type`/`detail` to classify it.
 */
export interface ActionDefinition<Payload = unknown> {
  /** Refuses a payload by throwing (called at job creation and change, once per target). */
  validate?(payload: unknown, target: string): void;
  /** Does the work for one target; resolves with what is kept as the target's `output`. */
  run(ctx: ActionContext<Payload>): Promise<unknown>;
  /**
   * Runs once per target when its last attempt is over (succeeded, failed,
   * timed out or cancelled; `result.attempts` is 0 when it never started),
   * before the execution counts as finished. What it resolves with is kept as
   * the result's `annotations` (the gateway keeps its result file's name
   * there). A failure here is logged and noted, never the task's outcome.
   */
  afterTask?(ctx: AfterTaskContext<Payload>): Promise<Record<string, unknown> | void>;
  /**
   * What `run` would do to one target, without doing it: read what is there
   * and compare it with what the payload asks for. Called by
   * `Scheduler.planJob`, through the worker pool, the target lock and the
   * task timeout like a run. A throw is recorded as Unreachable when the
   * error is `transient`, Refused otherwise.
   */
  plan?(ctx: PlanContext<Payload>): Promise<PlanResult>;
  /**
   * Undoes what an earlier run did to one target, from the snapshot that run
   * reported (see ChangeReport). Called for each target of a revert execution
   * (`Scheduler.revertExecution`). It should refuse (throw an error with
   * `type: "Conflict"`) when the target no longer holds the run's `after`.
   */
  revert?(ctx: RevertContext<Payload>): Promise<unknown>;
}

/**
 * What `run` may resolve with, beside anything else of its own: whether it
 * changed the target, and the values it found (`before`) and left (`after`),
 * for exactly what it set. The runner copies these onto the target's result;
 * `revert` gets them back.
 */
export interface ChangeReport {
  changed?: boolean;
  before?: unknown;
  after?: unknown;
}

/** Whether a plan would change the target, leave it as it is, refuse it, or could not read it. */
export type PlanOutcome = "Change" | "NoChange" | "Refused" | "Unreachable";

/** One value a run would set. `property` is the action's own name for it (a path, a key). */
export interface PlannedChange {
  /** Where the property lives when a target has several places (the gateway: a manager id). */
  scope?: string;
  property: string;
  current: unknown;
  desired: unknown;
}

export interface PlanResult {
  outcome: PlanOutcome;
  changes?: PlannedChange[];
  message?: string;
}

/** What plan() is handed for one target of one step. */
export interface PlanContext<Payload = unknown> {
  job: Readonly<Job>;
  step: Readonly<Step>;
  target: string;
  payload: Payload;
  signal: AbortSignal;
  log: Logger;
}

/** What revert() is handed: the usual context plus the snapshot the reverted run recorded. */
export interface RevertContext<Payload = unknown> extends ActionContext<Payload> {
  /** The execution being reverted. */
  revertOf: string;
  before: unknown;
  after: unknown;
}

/** What afterTask is handed: the task's final result and where it belongs. */
export interface AfterTaskContext<Payload = unknown> {
  job: Readonly<Job>;
  execution: Readonly<Execution>;
  step: Readonly<Step>;
  target: string;
  payload: Payload;
  result: Readonly<TargetResult>;
  log: Logger;
}
