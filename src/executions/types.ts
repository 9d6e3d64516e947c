/** What started a run: its schedule, a person or program (`trigger()`), the misfire policy after downtime, or a revert of an earlier run. */
export type ExecutionTrigger = "Schedule" | "Manual" | "CatchUp" | "Revert";

/** Where a run is in its life; all but Pending and Running are final (see `FINAL_STATES`). */
export type ExecutionState =
  | "Pending"
  | "Running"
  | "Completed"
  | "Failed"
  | "Cancelled"
  | "Skipped"
  | "Interrupted"
  /** A rollout stopped it on its failure budget; Scheduler.resumeExecution continues it. */
  | "Halted";

/** OK: every target succeeded. Warning: some failed. Critical: all failed. */
export type Health = "OK" | "Warning" | "Critical";

/** One step's progress in a run. */
export type StepState = "Pending" | "Running" | "Completed" | "Failed" | "Skipped" | "Cancelled";

/**
 * Unknown: the request was sent (the action had started) and the run was cut
 * (cancelled, shut down, the process died) before its outcome came back; the
 * target may or may not have been changed. Cancelled: it never started.
 */
export type TargetStatus = "Pending" | "Running" | "Success" | "Error" | "Skipped" | "Cancelled" | "Unknown";

/** Why a task failed, as the action (or the scheduler, for timeouts and cancels) classified it. */
export interface TaskError {
  /** A short class a program can switch on: "Timeout", "HttpError", "ConnectionRefused", "Cancelled"... */
  type: string;
  /** For people and logs. */
  message: string;
  /** The action asked for a retry (the retry policy decides whether one comes). */
  transient?: boolean;
  /** Anything the action kept about the failure (plain data). */
  detail?: unknown;
}

/** One target of one step: how it went and what the action returned. Times are ISO 8601 in UTC. */
export interface TargetResult {
  target: string;
  status: TargetStatus;
  /** True exactly when `status` is "Success". */
  ok: boolean;
  /** Tries made, retries included; 0 when the task never started. */
  attempts: number;
  startedAt: string | null;
  endedAt: string | null;
  /** The last attempt's error, when it failed. */
  error?: TaskError;
  /** What the action's run() resolved with. */
  output?: unknown;
  /** What the action's afterTask hook recorded once the task was over (e.g. a result file name). */
  annotations?: Record<string, unknown>;
  /** Why a Skipped target did not run (e.g. "RolloutHalted"). */
  reason?: string;
  /** From the action's ChangeReport: whether the run changed the target, and the values before and after. */
  changed?: boolean;
  before?: unknown;
  after?: unknown;
}

/** One step of a run, with a result per target. */
export interface StepResult {
  name: string;
  /** The action the step ran. */
  action: string;
  /** Index of the step group this step ran in (0-based). */
  group: number;
  state: StepState;
  targets: TargetResult[];
}

/**
 * Why a run ended as it did, or was skipped; null for a run that simply
 * completed. The gateway sends it as this same string (`Reason`).
 */
export type ExecutionReason =
  /** cancelExecution() */
  | "Cancelled"
  /** The job was cancelled, or deleted, while the run went on or waited its turn. */
  | "JobCancelled"
  | "JobDeleted"
  /** stop() ran out of grace time. */
  | "SchedulerStopped"
  /** policy.executionTimeoutMs passed. */
  | "ExecutionTimeout"
  /** State Interrupted: the process ended (crash, kill -9) while the run was going. */
  | "ProcessRestarted"
  /** State Skipped: a due time passed while the process was down or the job paused, under misfire Skip. */
  | "Misfire"
  /** State Skipped: the last run was still going, under overlap Skip. */
  | "Overlap"
  /** State Failed: the named step failed on every target and had no continueOnFailure. */
  | `StepFailed: ${string}`
  /** State Completed, health Warning: the afterTask hook of some tasks failed (the gateway could not write their result files). */
  | `AfterTaskFailed: ${string}`
  /** State Halted: a canary target of a rollout failed. */
  | "CanaryFailed"
  /** State Halted: more of the rollout's targets failed than its maxFailurePercent allows. */
  | `FailureBudgetExceeded: ${string}`;

/** One run of a job. Times are ISO 8601 strings in UTC. */
export interface Execution {
  id: string;
  jobId: string;
  trigger: ExecutionTrigger;
  /** Who asked for a manual run (`trigger(id, { initiatedBy })`); null otherwise. */
  initiatedBy: string | null;
  /** The due time a scheduled or catch-up run was for; null for a manual run. */
  scheduledFor: string | null;
  startedAt: string | null;
  endedAt: string | null;
  state: ExecutionState;
  /** Set when the run ends (null while it runs, and for a run that never started). */
  health: Health | null;
  /** Finished tasks out of all tasks, 0..100. */
  percentComplete: number;
  reason: ExecutionReason | null;
  steps: StepResult[];
  /** Set on a revert run (trigger Revert): the execution it undoes. */
  revertOf?: string;
  /** Progress of a rollout (a job with policy.rollout). */
  rollout?: RolloutProgress;
}

export interface RolloutProgress {
  /** The batch running or last run: 0 for the canary, 1..batches after it. */
  batch: number;
  /** Batches after the canary. */
  batches: number;
  halted: boolean;
  /** Why it halted, e.g. "CanaryFailed" or "FailureBudgetExceeded: 10 of 22 failed (45%), more than 10%". */
  reason: string | null;
}

/** The states a run does not leave. */
export const FINAL_STATES: readonly ExecutionState[] = [
  "Completed",
  "Failed",
  "Cancelled",
  "Skipped",
  "Interrupted",
  "Halted",
];

/** Whether a run in this state is over. */
export function isFinal(state: ExecutionState): boolean {
  return FINAL_STATES.includes(state);
}
