/**
 * The JobService resource: the worker pool's size and live load, and how
 * many jobs there are and are running, under MultiFish's ServiceCapabilities.
 */
import { etagOfVersion } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { link, ODATA_TYPES } from "../redfish/render.js";
import type { PoolStatus } from "../../src/scheduler/worker-pool.js";
import type { TargetLockStatus } from "../../src/scheduler/target-lock.js";

export interface JobServiceView {
  pool: PoolStatus;
  /** One writer per machine: machines being worked on, and tasks waiting for one. */
  locks?: TargetLockStatus;
  totalJobs: number;
  runningJobs: number;
}

/** Only the pool size is writable, so only it changes the tag; the live counters do not. */
export function jobServiceEtag(view: Pick<JobServiceView, "pool">): string {
  return etagOfVersion(`pool:${view.pool.size}`);
}

export function jobServiceResource(view: JobServiceView): Record<string, unknown> {
  const { pool } = view;
  return {
    "@odata.type": ODATA_TYPES.jobService,
    "@odata.id": paths.jobService,
    "@odata.etag": jobServiceEtag(view),
    Id: "JobService",
    Name: "Job Service",
    Description: "Schedules jobs that run BMC actions on the registered machines.",
    ServiceEnabled: true,
    ServiceCapabilities: {
      WorkerPoolSize: pool.size,
      ActiveWorkers: pool.active,
      AvailableWorkers: Math.max(0, pool.size - pool.active),
      QueuedTasks: pool.queued,
      ...(view.locks && { MachinesLocked: view.locks.held, TasksWaitingForMachine: view.locks.waiting }),
      TotalJobs: view.totalJobs,
      RunningJobs: view.runningJobs,
    },
    Jobs: link(paths.jobs),
    Actions: {
      "#JobService.PreviewSchedule": { target: paths.previewSchedule },
    },
  };
}
