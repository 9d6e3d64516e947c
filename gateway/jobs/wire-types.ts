/**
 * Job bodies and resources as they travel on the wire (PascalCase), shaped by
 * schemas/job-create.json and schemas/job-patch.json. A body that passed its
 * schema can be read as these types.
 */
import type { MisfirePolicy, OverlapPolicy, StepMode } from "../../src/jobs/types.js";
import type { ScheduleType, Weekday } from "../../src/schedule/types.js";

export interface WirePeriod {
  StartDay?: string | null;
  EndDay?: string | null;
  DaysOfWeek?: Weekday[] | null;
  /** "1,15" as MultiFish sends it, or [1, 15, "L"]. */
  DaysOfMonth?: string | (number | string)[] | null;
}

export interface WireSchedule {
  Type: ScheduleType;
  Time?: string;
  Date?: string;
  TimeZone?: string;
  Cron?: string;
  Period?: WirePeriod | null;
}

export interface WireStep {
  Name?: string;
  Action: string;
  Machines: string[];
  Payload?: unknown[] | null;
  Mode?: StepMode;
  ContinueOnFailure?: boolean;
}

export interface WireRetry {
  MaxAttempts?: number;
  InitialDelaySeconds?: number;
  Factor?: number;
  MaxDelaySeconds?: number;
}

export interface WirePolicy {
  Overlap?: OverlapPolicy;
  Misfire?: MisfirePolicy;
  MaxConcurrency?: number;
  TaskTimeoutSeconds?: number;
  ExecutionTimeoutSeconds?: number;
  Retry?: WireRetry;
}

/** A job's rollout waves (schemas/job-rollout.json). */
export interface WireRollout {
  Canary?: number;
  BatchSize?: number;
  BatchPercent?: number;
  MaxFailurePercent?: number;
  PauseSeconds?: number;
  OnHalt?: "Stop" | "Revert";
}

/** POST /JobService/Jobs: either Steps, or MultiFish's Action + Machines (+ Payload). */
export interface JobCreateBody {
  Name?: string;
  Description?: string | null;
  Enabled?: boolean;
  Action?: string;
  Machines?: string[];
  Payload?: unknown[] | null;
  Steps?: WireStep[];
  Schedule: WireSchedule;
  Policy?: WirePolicy;
  Rollout?: WireRollout;
}

/** PATCH /JobService/Jobs/{id}. */
export interface JobPatchBody {
  Name?: string;
  Description?: string | null;
  Enabled?: boolean;
  Machines?: string[];
  Payload?: unknown[] | null;
  Steps?: WireStep[];
  Schedule?: WireSchedule;
  Policy?: WirePolicy;
  /** null removes the rollout. */
  Rollout?: WireRollout | null;
}

/** How the client wrote its job, which decides where an error about a step points. */
export interface BodyShape {
  /** "single": MultiFish's top-level Action/Machines/Payload; "steps": a Steps array. */
  steps: "single" | "steps";
  /** DaysOfMonth came as a "1,15" string, so an error points at the string, not an index in it. */
  daysOfMonthAsString: boolean;
}

/** POST /JobService/Jobs/{id}/Actions/Plan (schemas/job-plan.json). */
export interface PlanBody {
  Machines?: string[];
}
