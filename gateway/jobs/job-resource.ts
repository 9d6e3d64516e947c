/**
 * Core Job -> the Job resource: MultiFish's fields (Machines, Action,
 * Payload, Schedule, Status, times, ExecutionCount) plus Shoal's (Steps,
 * Policy, Enabled, ScheduleDescription, LastRun, Executions, Actions).
 */
import type { ExecutionState, Health } from "../../src/executions/types.js";
import type { Job, Policy, RolloutPolicy, Step } from "../../src/jobs/types.js";
import type { Schedule } from "../../src/schedule/types.js";
import { etagOfContent } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { link, ODATA_TYPES, rfc3339 } from "../redfish/render.js";
import { WIRE_METADATA_KEY, type WireMetadata } from "./spec-from-wire.js";
import { POLICY_FIELDS, ROLLOUT_FIELDS, STEP_FIELDS, writeFields } from "./wire-fields.js";

/**
 * What the job is doing. Scheduled, Manual and Expired describe a recurring
 * or manual job; Pending, Completed and Failed are MultiFish's lifecycle of a
 * one-off (Once) job, kept because its scripts wait on them.
 */
export type JobStatus = "Scheduled" | "Manual" | "Pending" | "Running" | "Completed" | "Failed" | "Paused" | "Cancelled" | "Expired";

/** The outcome of the job's latest execution that actually ran (not Skipped, not still going). */
export interface LastRun {
  id?: string | undefined;
  state: ExecutionState;
  health: Health | null;
  endedAt?: string | null | undefined;
}

export interface JobView {
  /** Whether an execution of the job is running now. */
  running: boolean;
  lastRun?: LastRun | undefined;
  /** describeSchedule(job.schedule): the sentence operators read. */
  scheduleDescription: string;
}

function outcome(run: LastRun): JobStatus {
  return run.state === "Completed" && run.health !== "Critical" ? "Completed" : "Failed";
}

/**
 * Cancelled and Running first (they are what an operator most needs to see),
 * then Paused. A recurring job is Scheduled while a run remains, Expired after;
 * a Manual job is Manual. A Once job keeps MultiFish's words: Pending until it
 * has run, then how its run went (Expired when its time passed unrun). How the
 * last run of any job went is LastRun's business, not the Status's.
 */
export function jobStatus(job: Job, view: Pick<JobView, "running" | "lastRun">): JobStatus {
  if (job.cancelled) return "Cancelled";
  if (view.running) return "Running";
  if (!job.enabled) return "Paused";
  switch (job.schedule.type) {
    case "Manual":
      return "Manual";
    case "Once":
      if (job.nextRunAt !== null) return "Pending";
      return view.lastRun ? outcome(view.lastRun) : "Expired";
    default:
      return job.nextRunAt === null ? "Expired" : "Scheduled";
  }
}

/** LastRun on the wire: null until a run has ended. */
export function lastRunToWire(run: LastRun | undefined): Record<string, unknown> | null {
  if (!run) return null;
  return { Id: run.id ?? null, State: run.state, Health: run.health, EndTime: rfc3339(run.endedAt ?? null) };
}

function wireMetadata(job: Job): WireMetadata {
  const meta = job.metadata?.[WIRE_METADATA_KEY];
  return typeof meta === "object" && meta !== null ? (meta as WireMetadata) : {};
}

export function scheduleToWire(schedule: Schedule, meta: WireMetadata = {}): Record<string, unknown> {
  switch (schedule.type) {
    case "Once":
      return {
        Type: "Once",
        Time: schedule.time,
        ...(schedule.date !== undefined ? { Date: schedule.date } : {}),
        ...(schedule.timeZone !== undefined ? { TimeZone: schedule.timeZone } : {}),
      };
    case "Continuous": {
      const p = schedule.period ?? {};
      const period: Record<string, unknown> = {};
      if (p.startDay !== undefined) period["StartDay"] = p.startDay;
      if (p.endDay !== undefined) period["EndDay"] = p.endDay;
      period["DaysOfWeek"] = [...(p.daysOfWeek ?? [])];
      if (p.daysOfMonth !== undefined) {
        period["DaysOfMonth"] = meta.daysOfMonthAsString ? p.daysOfMonth.join(",") : [...p.daysOfMonth];
      }
      return {
        Type: "Continuous",
        Time: schedule.time,
        ...(schedule.timeZone !== undefined ? { TimeZone: schedule.timeZone } : {}),
        Period: period,
      };
    }
    case "Cron":
      return { Type: "Cron", Cron: schedule.cron, ...(schedule.timeZone !== undefined ? { TimeZone: schedule.timeZone } : {}) };
    case "Manual":
      return { Type: "Manual" };
  }
}

export function policyToWire(policy: Policy): Record<string, unknown> {
  return writeFields(POLICY_FIELDS, { ...policy });
}

export function rolloutToWire(r: RolloutPolicy): Record<string, unknown> {
  return writeFields(ROLLOUT_FIELDS, { ...r });
}

function stepToWire(step: Step): Record<string, unknown> {
  return writeFields(STEP_FIELDS, { ...step });
}

/**
 * Changes when the job's definition or enabled state changes; runs alone do
 * not change it. Taken over the content, not only updatedAt: two changes
 * within one millisecond must not share a tag.
 */
export function jobEtag(job: Job): string {
  let tag = etags.get(job);
  if (tag === undefined) {
    const { lastRunAt: _lastRun, nextRunAt: _nextRun, runCount: _runs, ...definition } = job;
    etags.set(job, (tag = etagOfContent(definition)));
  }
  return tag;
}

/**
 * Tags already taken, per job object: a GET asks twice (header and body), and
 * hashing a job over thousands of machines costs a fraction of a millisecond
 * each time. Safe because a job's definition is never changed in place: a
 * change makes a new object (runs only touch the fields left out above).
 */
const etags = new WeakMap<Job, string>();

/**
 * The resource in four parts, in the order its fields appear (Status sits
 * between the first two): what the job's definition alone decides (the head,
 * then the definition proper), what runs change, and the links. jobResource
 * joins them as one object; job-text.ts keeps the definition's parts rendered
 * per job revision and joins them as JSON text.
 */
export function headFields(job: Job): Record<string, unknown> {
  return {
    "@odata.type": ODATA_TYPES.job,
    "@odata.id": paths.job(job.id),
    "@odata.etag": jobEtag(job),
    Id: job.id,
    Name: job.name,
    Description: job.description,
    Enabled: job.enabled,
  };
}

export function definitionFields(job: Job, scheduleDescription: string): Record<string, unknown> {
  const only = job.steps.length === 1 ? job.steps[0] : undefined;
  const fields: Record<string, unknown> = {};
  if (only) {
    // MultiFish's single-action shape, so its clients find these where they expect them.
    fields["Machines"] = [...only.targets];
    fields["Action"] = only.action;
    fields["Payload"] = only.payload ?? null;
  }
  return Object.assign(fields, {
    Steps: job.steps.map(stepToWire),
    Schedule: scheduleToWire(job.schedule, wireMetadata(job)),
    ScheduleDescription: scheduleDescription,
    Policy: policyToWire(job.policy),
    Rollout: job.policy.rollout ? rolloutToWire(job.policy.rollout) : null,
    CreatedTime: rfc3339(job.createdAt),
  });
}

export function runFields(job: Job, view: Pick<JobView, "lastRun">, status: JobStatus): Record<string, unknown> {
  return {
    LastRunTime: rfc3339(job.lastRunAt),
    LastRun: lastRunToWire(view.lastRun),
    NextRunTime: status === "Paused" || status === "Cancelled" ? null : rfc3339(job.nextRunAt),
    ExecutionCount: job.runCount,
  };
}

export function linkFields(job: Job): Record<string, unknown> {
  return {
    Executions: link(paths.executions(job.id)),
    Actions: {
      "#Job.Trigger": { target: paths.jobTrigger(job.id) },
      "#Job.Cancel": { target: paths.jobCancel(job.id) },
    },
  };
}

export function jobResource(job: Job, view: JobView): Record<string, unknown> {
  const status = jobStatus(job, view);
  return {
    ...headFields(job),
    Status: status,
    ...definitionFields(job, view.scheduleDescription),
    ...runFields(job, view, status),
    ...linkFields(job),
  };
}
