export type ExecutionTrigger = "Schedule" | "Manual" | "CatchUp";

export type ExecutionState =
  | "Pending"
  | "Running"
  | "Completed"
  | "Failed"
  | "Cancelled"
  | "Skipped"
  | "Interrupted";

/** OK: every target succeeded. Warning: some failed. Critical: all failed. */
export type Health = "OK" | "Warning" | "Critical";

export type StepState = "Pending" | "Running" | "Completed" | "Failed" | "Skipped" | "Cancelled";

/**
 * Unknown: the request was sent (the action had started) and the run was cut
 * (cancelled, shut down, the process died) before its outcome came back; the
 * target may or may not have been changed. Cancelled: it never started.
 */
export type TargetStatus = "Pending" | "Running" | "Success" | "Error" | "Skipped" | "Cancelled" | "Unknown";

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
}

export const FINAL_STATES: readonly ExecutionState[] = [
  "Completed",
  "Failed",
  "Cancelled",
  "Skipped",
  "Interrupted",
];

export function isFinal(state: ExecutionState): boolean {
  return FINAL_STATES.includes(state);
}
