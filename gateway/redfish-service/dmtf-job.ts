/**
 * A Shoal job as DMTF's Job (v1_3_0) has it: JobState and JobStatus from its
 * status and last run, StartTime/EndTime/PercentComplete from its newest
 * execution, a Schedule where DMTF's words can express it, and its steps as
 * sub-Jobs. What DMTF has no word for (machines, action, payload, policy,
 * cron, time zone, executions, rollout) goes under `Oem.Shoal`.
 */
import type { Execution } from "../../src/executions/types.js";
import type { Job, Step } from "../../src/jobs/types.js";
import type { Schedule } from "../../src/schedule/types.js";
import { jobEtag, jobStatus, policyToWire, rolloutToWire, type JobStatus, type JobView } from "../jobs/job-resource.js";
import { paths } from "../redfish/paths.js";
import { link, rfc3339 } from "../redfish/render.js";
import { SHOAL_OEM_VERSION } from "./oem-csdl.js";
import { rfPaths } from "./paths.js";
import { odataType, SERVED } from "./types.js";

export interface DmtfJobView extends JobView {
  /** The job's newest execution, running or not. */
  newest?: Execution | undefined;
}

const JOB_STATE: Readonly<Record<JobStatus, string>> = {
  Scheduled: "Pending",
  Manual: "New",
  Pending: "Pending",
  Running: "Running",
  Completed: "Completed",
  Failed: "Exception",
  Paused: "Suspended",
  Cancelled: "Cancelled",
  Expired: "Completed",
};

/** DMTF's Schedule for what it can say: a Once or a daily (Continuous) schedule; undefined for Cron and Manual. */
export function dmtfSchedule(schedule: Schedule, nextRunAt: string | null): Record<string, unknown> | undefined {
  const start = rfc3339(nextRunAt);
  if (schedule.type === "Once") return { ...(start !== null && { InitialStartTime: start }), MaxOccurrences: 1 };
  if (schedule.type !== "Continuous") return undefined;
  const period = schedule.period ?? {};
  const days = period.daysOfWeek ?? [];
  const monthDays = (period.daysOfMonth ?? []).filter((d): d is number => typeof d === "number");
  return {
    ...(start !== null && { InitialStartTime: start }),
    RecurrenceInterval: "P1D",
    EnabledDaysOfWeek: days.length > 0 ? [...days] : ["Every"],
    ...(monthDays.length > 0 && { EnabledDaysOfMonth: monthDays }),
  };
}

function oem(job: Job, status: JobStatus): Record<string, unknown> {
  const only = job.steps.length === 1 ? job.steps[0] : undefined;
  const schedule = job.schedule;
  return {
    Shoal: {
      "@odata.type": `#${SHOAL_OEM_VERSION}.Job`,
      ...(only && { Action: only.action, Machines: [...only.targets], JsonPayload: JSON.stringify(only.payload ?? null) }),
      ScheduleType: schedule.type,
      ...(schedule.type === "Cron" && { Cron: schedule.cron }),
      ...("timeZone" in schedule && schedule.timeZone !== undefined && { TimeZone: schedule.timeZone }),
      Status: status,
      Enabled: job.enabled,
      Policy: policyToWire(job.policy),
      ...(job.policy.rollout && { Rollout: rolloutToWire(job.policy.rollout) }),
      ExecutionCount: job.runCount,
      Executions: paths.executions(job.id),
      MultiFishJob: paths.job(job.id),
    },
  };
}

export function dmtfJob(job: Job, view: DmtfJobView): Record<string, unknown> {
  const status = jobStatus(job, view);
  const newest = view.newest;
  const schedule = dmtfSchedule(job.schedule, status === "Paused" || status === "Cancelled" ? null : job.nextRunAt);
  const start = rfc3339(newest?.startedAt ?? null);
  const end = rfc3339(newest?.endedAt ?? null);
  return {
    "@odata.type": odataType(SERVED.job),
    "@odata.id": rfPaths.job(job.id),
    "@odata.etag": jobEtag(job),
    Id: job.id,
    Name: job.name,
    ...(job.description !== null && job.description !== "" && { Description: job.description }),
    JobType: "UserSpecified",
    JobState: JOB_STATE[status],
    JobStatus: view.lastRun?.health ?? "OK",
    ...(start !== null && { StartTime: start }),
    ...(end !== null && { EndTime: end }),
    PercentComplete: newest?.percentComplete ?? 0,
    ...(schedule !== undefined && { Schedule: schedule }),
    Messages: [],
    Steps: link(`${rfPaths.job(job.id)}/Steps`),
    StepOrder: job.steps.map((_, i) => String(i + 1)),
    Oem: oem(job, status),
  };
}

const STEP_STATE: Readonly<Record<string, string>> = {
  Pending: "Pending",
  Running: "Running",
  Completed: "Completed",
  Failed: "Exception",
  Skipped: "Cancelled",
  Cancelled: "Cancelled",
};

/** Step `index` (0-based) of the job as a sub-Job, with its state in the newest execution. */
export function dmtfStep(job: Job, index: number, step: Step, newest: Execution | undefined): Record<string, unknown> {
  const result = newest?.steps[index];
  const failed = result?.targets.filter((t) => t.status === "Error").length ?? 0;
  const targets = result?.targets.length ?? 0;
  return {
    "@odata.type": odataType(SERVED.job),
    "@odata.id": `${rfPaths.job(job.id)}/Steps/${index + 1}`,
    Id: String(index + 1),
    Name: step.name,
    JobType: "UserSpecified",
    JobState: result ? (STEP_STATE[result.state] ?? "Pending") : "New",
    JobStatus: failed === 0 ? "OK" : failed === targets ? "Critical" : "Warning",
    PercentComplete: result && (result.state === "Completed" || result.state === "Failed") ? 100 : 0,
    Messages: [],
    Oem: {
      Shoal: {
        "@odata.type": `#${SHOAL_OEM_VERSION}.Job`,
        Action: step.action,
        Machines: [...step.targets],
        JsonPayload: JSON.stringify(step.payload ?? null),
        Mode: step.mode,
        ContinueOnFailure: step.continueOnFailure,
      },
    },
  };
}
