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
  [extra: string]: unknown;
}

export interface MachineResult {
  MachineId: string;
  Status: string;
  Attempts?: number;
  StartTime?: string | null;
  EndTime?: string | null;
  ErrorType?: string | null;
  Message?: string | null;
  ResultFile?: string | null;
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

export interface Preview {
  Description: string;
  NextRunTimes: string[];
}

export const FINAL_STATES = ["Completed", "Failed", "Cancelled", "Skipped", "Interrupted"];

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
