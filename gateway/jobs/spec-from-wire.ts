/**
 * Wire job bodies -> the core's JobSpec / JobPatch. Pure: the body has
 * already passed its JSON Schema, so this only renames and converts units
 * (by the table in wire-fields.ts) and normalises MultiFish's shapes
 * (DaysOfMonth "1,15", empty DaysOfWeek, Period null, one implicit step).
 */
import type { Job, JobPatch, JobSpec, PolicySpec, RetryPolicy, RolloutPolicy, StepSpec } from "../../src/jobs/types.js";
import type { DayOfMonth, Period, Schedule } from "../../src/schedule/types.js";
import { POLICY_FIELDS, readFields, RETRY_FIELDS, ROLLOUT_FIELDS, STEP_FIELDS } from "./wire-fields.js";
import type { BodyShape, JobCreateBody, JobPatchBody, WirePeriod, WirePolicy, WireRollout, WireSchedule, WireStep } from "./wire-types.js";

/** What a Retry object leaves out. */
export const RETRY_DEFAULTS = readFields(RETRY_FIELDS, {}) as unknown as RetryPolicy;

/** The wire form of the job, kept in `Job.metadata` so a resource renders as the client wrote it. */
export interface WireMetadata {
  daysOfMonthAsString?: boolean;
}

export const WIRE_METADATA_KEY = "wire";

function daysOfMonth(value: WirePeriod["DaysOfMonth"]): DayOfMonth[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = typeof value === "string" ? value.split(",").map((s) => s.trim()).filter((s) => s !== "") : value;
  if (items.length === 0) return undefined;
  return items.map((d) => (d === "L" ? "L" : Number(d)));
}

function periodFromWire(p: WirePeriod | null | undefined): Period | undefined {
  if (!p) return undefined;
  const period: Period = {};
  if (p.StartDay) period.startDay = p.StartDay;
  if (p.EndDay) period.endDay = p.EndDay;
  // An empty DaysOfWeek means no weekday filter (every day), as MultiFish documents it.
  if (p.DaysOfWeek && p.DaysOfWeek.length > 0) period.daysOfWeek = [...p.DaysOfWeek];
  const dom = daysOfMonth(p.DaysOfMonth);
  if (dom) period.daysOfMonth = dom;
  return Object.keys(period).length > 0 ? period : undefined;
}

export function scheduleFromWire(s: WireSchedule): Schedule {
  const zone = s.TimeZone !== undefined ? { timeZone: s.TimeZone } : {};
  switch (s.Type) {
    case "Once":
      return { type: "Once", time: s.Time ?? "", ...(s.Date !== undefined ? { date: s.Date } : {}), ...zone };
    case "Continuous": {
      const period = periodFromWire(s.Period);
      return { type: "Continuous", time: s.Time ?? "", ...zone, ...(period ? { period } : {}) };
    }
    case "Cron":
      return { type: "Cron", cron: s.Cron ?? "", ...zone };
    case "Manual":
      return { type: "Manual" };
  }
}

export function policyFromWire(p: WirePolicy): PolicySpec {
  return readFields(POLICY_FIELDS, { ...p }) as PolicySpec;
}

export function rolloutFromWire(r: WireRollout): RolloutPolicy {
  return readFields(ROLLOUT_FIELDS, { ...r }) as unknown as RolloutPolicy;
}

function stepFromWire(s: WireStep): StepSpec {
  return readFields(STEP_FIELDS, { ...s }) as unknown as StepSpec;
}

/** MultiFish's top-level Action/Machines/Payload is one step whose targets are the machines. */
export function stepsFromWire(body: Pick<JobCreateBody, "Action" | "Machines" | "Payload" | "Steps">): StepSpec[] {
  if (body.Steps) return body.Steps.map(stepFromWire);
  return [stepFromWire({ Action: body.Action ?? "", Machines: body.Machines ?? [], Payload: body.Payload ?? null })];
}

export function bodyShape(body: { Steps?: unknown; Schedule?: WireSchedule | undefined }): BodyShape {
  return {
    steps: body.Steps !== undefined ? "steps" : "single",
    daysOfMonthAsString: typeof body.Schedule?.Period?.DaysOfMonth === "string",
  };
}

function wireMetadata(schedule: WireSchedule): Record<string, unknown> {
  const meta: WireMetadata = { daysOfMonthAsString: typeof schedule.Period?.DaysOfMonth === "string" };
  return { [WIRE_METADATA_KEY]: meta };
}

function defaultName(body: JobCreateBody): string {
  if (body.Action) return `${body.Action} job`;
  const first = body.Steps?.[0];
  return first ? `${first.Name ?? first.Action} job` : "Job";
}

export function jobSpecFromWire(body: JobCreateBody): JobSpec {
  const spec: JobSpec = {
    name: body.Name ?? defaultName(body),
    schedule: scheduleFromWire(body.Schedule),
    steps: stepsFromWire(body),
    metadata: wireMetadata(body.Schedule),
  };
  if (body.Description !== undefined) spec.description = body.Description;
  if (body.Enabled !== undefined) spec.enabled = body.Enabled;
  if (body.Policy !== undefined) spec.policy = policyFromWire(body.Policy);
  if (body.Rollout !== undefined) spec.policy = { ...spec.policy, rollout: rolloutFromWire(body.Rollout) };
  return spec;
}

/**
 * A PATCH body -> the core's patch. Machines and Payload rewrite the job's
 * only step (a job with several steps takes Steps instead); Policy fields
 * given replace those fields and leave the others as they are.
 */
export function jobPatchFromWire(body: JobPatchBody, current: Job): JobPatch {
  const patch: JobPatch = {};
  if (body.Name !== undefined) patch.name = body.Name;
  if (body.Description !== undefined) patch.description = body.Description;
  if (body.Enabled !== undefined) patch.enabled = body.Enabled;
  if (body.Schedule !== undefined) {
    patch.schedule = scheduleFromWire(body.Schedule);
    patch.metadata = { ...current.metadata, ...wireMetadata(body.Schedule) };
  }
  if (body.Policy !== undefined || body.Rollout !== undefined) {
    const merged: PolicySpec = { ...current.policy, ...(body.Policy !== undefined && policyFromWire(body.Policy)) };
    // null, not a missing key: the core keeps a policy field the patch leaves out.
    if (body.Rollout === null) merged.rollout = null;
    else if (body.Rollout !== undefined) merged.rollout = rolloutFromWire(body.Rollout);
    patch.policy = merged;
  }
  if (body.Steps !== undefined) patch.steps = body.Steps.map(stepFromWire);
  else if (body.Machines !== undefined || body.Payload !== undefined) {
    patch.steps = current.steps.map((step, i): StepSpec => {
      if (i !== 0) return { ...step };
      const next: StepSpec = { ...step, targets: body.Machines ? [...body.Machines] : [...step.targets] };
      if (body.Payload !== undefined) {
        if (body.Payload === null) delete next.payload;
        else next.payload = body.Payload;
      }
      return next;
    });
  }
  return patch;
}

/** Problems a PATCH has only in the light of the job it changes: Machines/Payload need a single-step job. */
export function patchConflicts(body: JobPatchBody, current: Job): { key: "PropertyValueConflict"; args: string[]; relatedProperties: string[] }[] {
  if (current.steps.length <= 1 || body.Steps !== undefined) return [];
  return (["Machines", "Payload"] as const)
    .filter((name) => body[name] !== undefined)
    .map((name) => ({
      key: "PropertyValueConflict",
      args: [name, "Steps"],
      relatedProperties: [`#/${name}`, "#/Steps"],
    }));
}
