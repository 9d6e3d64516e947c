/**
 * Core Job -> the Job resource: MultiFish's fields (Machines, Action,
 * Payload, Schedule, Status, times, ExecutionCount) plus Shoal's (Steps,
 * Policy, Enabled, ScheduleDescription, Executions, Actions).
 */
import type { ExecutionState, Health } from "../../src/executions/types.js";
import type { Job, Policy, RolloutPolicy, Step } from "../../src/jobs/types.js";
import type { Schedule } from "../../src/schedule/types.js";
import { etagOfContent } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { link, ODATA_TYPES, rfc3339 } from "../redfish/render.js";
import { WIRE_METADATA_KEY, type WireMetadata } from "./spec-from-wire.js";

export type JobStatus = "Pending" | "Running" | "Completed" | "Failed" | "Paused" | "Cancelled" | "Expired";

/** The outcome of the job's latest execution that actually ran (not Skipped, not still going). */
export interface LastRun {
  state: ExecutionState;
  health: Health | null;
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
 * then Paused; a job with no run left is Expired, except a Once job that ran,
 * which shows how its run went, as MultiFish shows it.
 */
export function jobStatus(job: Job, view: Pick<JobView, "running" | "lastRun">): JobStatus {
  if (job.cancelled) return "Cancelled";
  if (view.running) return "Running";
  if (!job.enabled) return "Paused";
  if (job.nextRunAt === null && job.schedule.type !== "Manual") {
    if (job.schedule.type === "Once" && view.lastRun) return outcome(view.lastRun);
    return "Expired";
  }
  return view.lastRun ? outcome(view.lastRun) : "Pending";
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

const toSeconds = (ms: number): number => ms / 1000;

export function policyToWire(policy: Policy): Record<string, unknown> {
  const wire: Record<string, unknown> = { Overlap: policy.overlap, Misfire: policy.misfire };
  if (policy.maxConcurrency !== undefined) wire["MaxConcurrency"] = policy.maxConcurrency;
  if (policy.taskTimeoutMs !== undefined) wire["TaskTimeoutSeconds"] = toSeconds(policy.taskTimeoutMs);
  if (policy.executionTimeoutMs !== undefined) wire["ExecutionTimeoutSeconds"] = toSeconds(policy.executionTimeoutMs);
  if (policy.retry !== undefined) {
    wire["Retry"] = {
      MaxAttempts: policy.retry.maxAttempts,
      InitialDelaySeconds: toSeconds(policy.retry.initialDelayMs),
      Factor: policy.retry.factor,
      MaxDelaySeconds: toSeconds(policy.retry.maxDelayMs),
    };
  }
  return wire;
}

export function rolloutToWire(r: RolloutPolicy): Record<string, unknown> {
  return {
    Canary: r.canary,
    ...(r.batchSize !== undefined && { BatchSize: r.batchSize }),
    ...(r.batchPercent !== undefined && { BatchPercent: r.batchPercent }),
    MaxFailurePercent: r.maxFailurePercent,
    PauseSeconds: toSeconds(r.pauseMs),
    OnHalt: r.onHalt,
  };
}

function stepToWire(step: Step): Record<string, unknown> {
  return {
    Name: step.name,
    Action: step.action,
    Machines: [...step.targets],
    Payload: step.payload ?? null,
    Mode: step.mode,
    ContinueOnFailure: step.continueOnFailure,
  };
}

/**
 * Changes when the job's definition or enabled state changes; runs alone do
 * not change it. Taken over the content, not only updatedAt: two changes
 * within one millisecond must not share a tag.
 */
export function jobEtag(job: Job): string {
  const { lastRunAt: _lastRun, nextRunAt: _nextRun, runCount: _runs, ...definition } = job;
  return etagOfContent(definition);
}

export function jobResource(job: Job, view: JobView): Record<string, unknown> {
  const status = jobStatus(job, view);
  const only = job.steps.length === 1 ? job.steps[0] : undefined;
  const resource: Record<string, unknown> = {
    "@odata.type": ODATA_TYPES.job,
    "@odata.id": paths.job(job.id),
    "@odata.etag": jobEtag(job),
    Id: job.id,
    Name: job.name,
    Description: job.description,
    Enabled: job.enabled,
    Status: status,
  };
  if (only) {
    // MultiFish's single-action shape, so its clients find these where they expect them.
    resource["Machines"] = [...only.targets];
    resource["Action"] = only.action;
    resource["Payload"] = only.payload ?? null;
  }
  Object.assign(resource, {
    Steps: job.steps.map(stepToWire),
    Schedule: scheduleToWire(job.schedule, wireMetadata(job)),
    ScheduleDescription: view.scheduleDescription,
    Policy: policyToWire(job.policy),
    Rollout: job.policy.rollout ? rolloutToWire(job.policy.rollout) : null,
    CreatedTime: rfc3339(job.createdAt),
    LastRunTime: rfc3339(job.lastRunAt),
    NextRunTime: status === "Paused" || status === "Cancelled" ? null : rfc3339(job.nextRunAt),
    ExecutionCount: job.runCount,
    Executions: link(paths.executions(job.id)),
    Actions: {
      "#Job.Trigger": { target: paths.jobTrigger(job.id) },
      "#Job.Cancel": { target: paths.jobCancel(job.id) },
    },
  });
  return resource;
}
