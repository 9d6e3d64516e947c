/**
 * The one table of how a job's fields are named and measured on the wire
 * (PascalCase, seconds) and in the core (camelCase, milliseconds). Reading a
 * body (spec-from-wire.ts), writing a resource (job-resource.ts) and pointing
 * an error at what the client wrote (wire-pointers.ts) are all derived from
 * it; test/gateway/jobs/wire-fields.test.ts keeps it in step with the schemas.
 */
import { isObject } from "../../src/problems.js";

/** One field of an object, in the order the wire writes it. */
export interface WireField {
  core: string;
  wire: string;
  /** The core keeps milliseconds where the wire has seconds. */
  seconds?: true;
  /** What the core gets when the wire leaves the field out. */
  default?: unknown;
  /** The wire writes null where the core has nothing, and null reads as nothing. */
  nullWhenAbsent?: true;
  /** The field is an object with a table of its own. */
  fields?: readonly WireField[];
}

export const RETRY_FIELDS: readonly WireField[] = [
  { core: "maxAttempts", wire: "MaxAttempts", default: 3 },
  { core: "initialDelayMs", wire: "InitialDelaySeconds", seconds: true, default: 1000 },
  { core: "factor", wire: "Factor", default: 2 },
  { core: "maxDelayMs", wire: "MaxDelaySeconds", seconds: true, default: 60_000 },
];

export const POLICY_FIELDS: readonly WireField[] = [
  { core: "overlap", wire: "Overlap" },
  { core: "misfire", wire: "Misfire" },
  { core: "maxConcurrency", wire: "MaxConcurrency" },
  { core: "taskTimeoutMs", wire: "TaskTimeoutSeconds", seconds: true },
  { core: "executionTimeoutMs", wire: "ExecutionTimeoutSeconds", seconds: true },
  { core: "retry", wire: "Retry", fields: RETRY_FIELDS },
];

/** The core keeps the rollout in the policy (policy.rollout); the wire has it beside Policy, as Rollout. */
export const ROLLOUT_FIELDS: readonly WireField[] = [
  { core: "canary", wire: "Canary", default: 0 },
  { core: "batchSize", wire: "BatchSize" },
  { core: "batchPercent", wire: "BatchPercent" },
  { core: "maxFailurePercent", wire: "MaxFailurePercent", default: 0 },
  { core: "pauseMs", wire: "PauseSeconds", seconds: true, default: 0 },
  { core: "onHalt", wire: "OnHalt", default: "Stop" },
];

export const STEP_FIELDS: readonly WireField[] = [
  { core: "name", wire: "Name" },
  { core: "action", wire: "Action" },
  { core: "targets", wire: "Machines" },
  { core: "payload", wire: "Payload", nullWhenAbsent: true },
  { core: "mode", wire: "Mode" },
  { core: "continueOnFailure", wire: "ContinueOnFailure" },
];

/** A Continuous schedule's Period; its values are normalised in spec-from-wire.ts (DaysOfMonth "1,15", empty DaysOfWeek). */
export const PERIOD_FIELDS: readonly WireField[] = [
  { core: "startDay", wire: "StartDay" },
  { core: "endDay", wire: "EndDay" },
  { core: "daysOfWeek", wire: "DaysOfWeek" },
  { core: "daysOfMonth", wire: "DaysOfMonth" },
];

/** Which fields a schedule has depends on its Type; spec-from-wire.ts and job-resource.ts keep each type's shape. */
export const SCHEDULE_FIELDS: readonly WireField[] = [
  { core: "type", wire: "Type" },
  { core: "time", wire: "Time" },
  { core: "date", wire: "Date" },
  { core: "timeZone", wire: "TimeZone" },
  { core: "cron", wire: "Cron" },
  { core: "period", wire: "Period", fields: PERIOD_FIELDS },
];

/** A job spec's own fields (metadata is the gateway's, never the client's). */
export const JOB_FIELDS: readonly WireField[] = [
  { core: "name", wire: "Name" },
  { core: "description", wire: "Description" },
  { core: "enabled", wire: "Enabled" },
  { core: "schedule", wire: "Schedule", fields: SCHEDULE_FIELDS },
  { core: "steps", wire: "Steps", fields: STEP_FIELDS },
  { core: "policy", wire: "Policy", fields: POLICY_FIELDS },
];

const toMs = (seconds: number): number => Math.round(seconds * 1000);
const toSeconds = (ms: number): number => ms / 1000;

/** A wire object -> the core's, by the table: renamed, seconds made milliseconds, defaults filled in, arrays copied. */
export function readFields(table: readonly WireField[], wire: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const core: Record<string, unknown> = {};
  for (const field of table) {
    const value = wire[field.wire];
    if (value === undefined || (value === null && field.nullWhenAbsent)) {
      if (field.default !== undefined) core[field.core] = field.default;
      continue;
    }
    core[field.core] = convert(field, value, "read");
  }
  return core;
}

/** A core object -> the wire's, by the table, in the table's order; absent fields are left out (or null, where the wire says so). */
export function writeFields(table: readonly WireField[], core: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const field of table) {
    const value = core[field.core];
    if (value === undefined) {
      if (field.nullWhenAbsent) wire[field.wire] = null;
      continue;
    }
    wire[field.wire] = convert(field, value, "write");
  }
  return wire;
}

function convert(field: WireField, value: unknown, way: "read" | "write"): unknown {
  if (field.seconds && typeof value === "number") return way === "read" ? toMs(value) : toSeconds(value);
  if (field.fields && isObject(value)) return way === "read" ? readFields(field.fields, value) : writeFields(field.fields, value);
  return Array.isArray(value) ? [...value] : value;
}

/** The wire name of a core field, if the table has it. */
export function wireName(table: readonly WireField[], core: string): WireField | undefined {
  return table.find((field) => field.core === core);
}
