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
