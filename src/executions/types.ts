export type ExecutionTrigger = "Schedule" | "Manual" | "CatchUp" | "Revert";

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

export type StepState = "Pending" | "Running" | "Completed" | "Failed" | "Skipped" | "Cancelled";

export type TargetStatus = "Pending" | "Running" | "Success" | "Error" | "Skipped" | "Cancelled";

export interface TaskError {
  /** A short class a program can switch on: "Timeout", "HttpError", "ConnectionRefused", "Cancelled"... */
  type: string;
  message: string;
  transient?: boolean;
  detail?: unknown;
}

export interface TargetResult {
  target: string;
  status: TargetStatus;
  ok: boolean;
  attempts: number;
  startedAt: string | null;
  endedAt: string | null;
  error?: TaskError;
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

export interface StepResult {
  name: string;
  action: string;
  /** Index of the step group this step ran in (0-based). */
  group: number;
  state: StepState;
  targets: TargetResult[];
}

export interface Execution {
  id: string;
  jobId: string;
  trigger: ExecutionTrigger;
  initiatedBy: string | null;
  scheduledFor: string | null;
  startedAt: string | null;
  endedAt: string | null;
  state: ExecutionState;
  health: Health | null;
  percentComplete: number;
  reason: string | null;
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

export const FINAL_STATES: readonly ExecutionState[] = [
  "Completed",
  "Failed",
  "Cancelled",
  "Skipped",
  "Interrupted",
  "Halted",
];

export function isFinal(state: ExecutionState): boolean {
  return FINAL_STATES.includes(state);
}
