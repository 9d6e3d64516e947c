/**
 * The wire resources the console reads, as far as it reads them. Other
 * fields may be present (the API grows); nothing here insists they are absent.
 */

export interface Period {
  StartDay?: string | null;
  EndDay?: string | null;
  DaysOfWeek?: string[] | null;
  DaysOfMonth?: string | (string | number)[] | null;
}

export interface Schedule {
  Type: "Once" | "Continuous" | "Cron" | "Manual";
  Time?: string;
  Date?: string;
  TimeZone?: string;
  Cron?: string;
  Period?: Period | null;
}

export interface Step {
  Name?: string;
  Action: string;
  Machines: string[];
  Payload?: unknown[] | null;
}

export interface Job {
  Id: string;
  Name: string;
  Description?: string | null;
  Enabled: boolean;
  Status?: string;
  Machines?: string[];
  Action?: string;
  Payload?: unknown[] | null;
  Steps?: Step[];
  Schedule: Schedule;
  ScheduleDescription?: string;
  LastRunTime?: string | null;
  NextRunTime?: string | null;
  ExecutionCount?: number;
  Rollout?: Rollout | null;
  [extra: string]: unknown;
}

/** A job's waves and failure budget (schemas/job-rollout.json): BatchSize or BatchPercent, never both. */
export interface Rollout {
  Canary?: number;
  BatchSize?: number;
  BatchPercent?: number;
  MaxFailurePercent?: number;
  PauseSeconds?: number;
  OnHalt?: "Stop" | "Revert";
}

/** Manager id -> property path -> value: what a run read before its PATCH and again after it. */
export type Snapshot = Record<string, Record<string, unknown>>;

export interface MachineResult {
  MachineId: string;
  Status: string;
  Attempts?: number;
  StartTime?: string | null;
  EndTime?: string | null;
  ErrorType?: string | null;
  Message?: string | null;
  ResultFile?: string | null;
  /** Why a Skipped machine did not run (RolloutHalted). */
  Reason?: string;
  Changed?: boolean;
  Before?: Snapshot | null;
  After?: Snapshot | null;
  [extra: string]: unknown;
}

export interface ExecutionStep {
  Name?: string;
  Action?: string;
  State?: string;
  Machines?: MachineResult[];
}

export interface Execution {
  Id: string;
  JobId: string;
  State: string;
  Health?: string | null;
  PercentComplete?: number;
  Trigger?: string;
  InitiatedBy?: string;
  Reason?: string | null;
  ScheduledTime?: string | null;
  StartTime?: string | null;
  EndTime?: string | null;
  Summary?: { Machines?: number; Succeeded?: number; Failed?: number };
  Steps?: ExecutionStep[];
  /** The run this one undoes (Trigger Revert). */
  RevertOf?: string;
  Rollout?: { Batch: number; Batches: number; Halted: boolean; Reason: string | null };
  [extra: string]: unknown;
}

export interface Machine {
  Id: string;
  Name?: string;
  Type: string;
  Endpoint: string;
  Username: string;
  Insecure?: boolean;
  HTTPClientTimeout?: number;
  DisableEtagMatch?: boolean;
  AuthMethod?: string;
  [extra: string]: unknown;
}

export type PlanOutcome = "Change" | "NoChange" | "Refused" | "Unreachable";

export interface PlanMember {
  MachineId: string;
  Step?: string;
  Action?: string;
  Outcome: PlanOutcome;
  Changes: { ManagerID?: string; Property: string; Current: unknown; Desired: unknown }[];
  Message: string | null;
}

/** One page of a job's plan (dry run); later pages are read from the plan the gateway keeps. */
export interface Plan {
  "@odata.id": string;
  Id: string;
  Counts: Partial<Record<PlanOutcome, number>>;
  Members: PlanMember[];
  "Members@odata.count": number;
}

export interface Preview {
  Description: string;
  NextRunTimes: string[];
}

export const FINAL_STATES = ["Completed", "Failed", "Cancelled", "Skipped", "Interrupted", "Halted"];

export function isFinal(execution: Execution): boolean {
  return FINAL_STATES.includes(execution.State);
}

export type Outcome = "ok" | "warning" | "failed" | "running" | "other";

/** How a run ended, in the three colours the console uses (plus running and the rest). */
export function outcomeOf(execution: Execution): Outcome {
  if (!isFinal(execution)) return "running";
  if (execution.State === "Failed" || execution.Health === "Critical") return "failed";
  if (execution.State === "Completed" && execution.Health === "Warning") return "warning";
  if (execution.State === "Completed") return "ok";
  return "other";
}

export function machineResults(execution: Execution): MachineResult[] {
  return (execution.Steps ?? []).flatMap((s) => s.Machines ?? []);
}

export const jobPath = (id: string): string => `/MultiFish/v1/JobService/Jobs/${encodeURIComponent(id)}`;
export const executionsPath = (jobId: string): string => `${jobPath(jobId)}/Executions`;
export const executionPath = (jobId: string, id: string): string => `${executionsPath(jobId)}/${encodeURIComponent(id)}`;
export const machinePath = (id: string): string => `/MultiFish/v1/Platform/${encodeURIComponent(id)}`;
export const JOBS = "/MultiFish/v1/JobService/Jobs";
export const PLATFORM = "/MultiFish/v1/Platform";
export const PREVIEW = "/MultiFish/v1/JobService/Actions/JobService.PreviewSchedule";
