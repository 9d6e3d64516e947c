/**
 * The core's typed events -> Redfish events on the hub. Job life becomes
 * ResourceEvent messages (pausing and resuming our own), a run's life
 * TaskEvent messages, a failed machine our MachineFailed. Progress is sent at
 * most once per interval per run (first change at once, the latest change
 * when the interval ends), so a 2 000-machine run makes a handful of events.
 */
import type { Execution, TargetResult } from "../../src/executions/types.js";
import type { Job } from "../../src/jobs/types.js";
import type { TaskFinishedEvent } from "../../src/scheduler/events.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import { paths } from "../redfish/paths.js";
import type { EventKey } from "./event-messages.js";
import { FAILED_LISTED, type FailedMachine } from "./event-record.js";
import type { EventHub } from "./event-hub.js";

export interface SchedulerEventOptions {
  /** Least time between two progress events of one run; default 1000 ms. */
  progressIntervalMs?: number;
}

interface Progress {
  jobId: string;
  total: number;
  done: number;
  sentPercent: number;
  sentAt: number;
  timer: NodeJS.Timeout | null;
}

/** How a run that ended is announced, by its final state. A state the core may add later (Halted) is looked up by name. */
const FINISH_KEYS: Readonly<Record<string, EventKey>> = {
  Completed: "TaskCompletedOK",
  Failed: "TaskAborted",
  Cancelled: "TaskCancelled",
  Interrupted: "ExecutionInterrupted",
  Halted: "ExecutionHalted",
};

export class SchedulerEventSource {
  private readonly progress = new Map<string, Progress>();
  private readonly intervalMs: number;
  private readonly detach: () => void;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly hub: EventHub,
    options: SchedulerEventOptions = {},
  ) {
    // Nothing is read at start: an update carries the job as it was, so starting costs the same however many jobs are kept.
    this.intervalMs = options.progressIntervalMs ?? 1000;
    const onCreated = (job: Job): void => this.jobCreated(job);
    const onUpdated = (job: Job, previous: Job): void => this.jobUpdated(job, previous);
    const onDeleted = (job: Job): void => this.jobDeleted(job);
    const onStarted = (e: Execution): void => this.started(e);
    const onTask = (e: TaskFinishedEvent): void => this.taskFinished(e);
    const onFinished = (e: Execution): void => this.finished(e);
    const onSkipped = (e: Execution): void => this.skipped(e);
    scheduler.on("jobCreated", onCreated).on("jobUpdated", onUpdated).on("jobDeleted", onDeleted);
    scheduler.on("executionStarted", onStarted).on("taskFinished", onTask).on("executionFinished", onFinished).on("executionSkipped", onSkipped);
    this.detach = () => {
      scheduler.off("jobCreated", onCreated).off("jobUpdated", onUpdated).off("jobDeleted", onDeleted);
      scheduler.off("executionStarted", onStarted).off("taskFinished", onTask).off("executionFinished", onFinished).off("executionSkipped", onSkipped);
    };
  }

  close(): void {
    this.detach();
    for (const p of this.progress.values()) if (p.timer) clearTimeout(p.timer);
    this.progress.clear();
  }

  private jobCreated(job: Job): void {
    this.hub.publish({ key: "ResourceCreated", args: [], origin: paths.job(job.id), resourceType: "Job", detail: { jobId: job.id, jobName: job.name } });
  }

  private jobUpdated(job: Job, previous: Job): void {
    const was = !previous.enabled;
    const detail = { jobId: job.id, jobName: job.name };
    const origin = paths.job(job.id);
    if (!was && !job.enabled && !job.cancelled) {
      this.hub.publish({ key: "JobPaused", args: [job.id, job.pausedReason ?? ""], origin, resourceType: "Job", detail });
    } else if (was && job.enabled) {
      this.hub.publish({ key: "JobResumed", args: [job.id], origin, resourceType: "Job", detail });
    } else {
      this.hub.publish({ key: "ResourceChanged", args: [], origin, resourceType: "Job", detail });
    }
  }

  private jobDeleted(job: Job): void {
    this.hub.publish({ key: "ResourceRemoved", args: [], origin: paths.job(job.id), resourceType: "Job", detail: { jobId: job.id, jobName: job.name } });
  }

  private started(e: Execution): void {
    const total = e.steps.reduce((n, s) => n + s.targets.length, 0);
    this.progress.set(e.id, { jobId: e.jobId, total, done: 0, sentPercent: 0, sentAt: 0, timer: null });
    this.hub.publish({
      key: "TaskStarted",
      args: [e.id],
      origin: paths.execution(e.jobId, e.id),
      resourceType: "JobExecution",
      detail: { jobId: e.jobId, executionId: e.id, state: e.state, percentComplete: 0 },
    });
  }

  private taskFinished(t: TaskFinishedEvent): void {
    const { result } = t;
    if (result.status === "Error") {
      const error = result.error;
      this.hub.publish({
        key: "MachineFailed",
        args: [result.target, t.executionId, error?.type ?? "Error", error?.message ?? ""],
        origin: paths.execution(t.jobId, t.executionId),
        resourceType: "JobExecution",
        detail: { jobId: t.jobId, executionId: t.executionId, failedMachines: [failedMachine(result, t.action)] },
      });
    }
    const p = this.progress.get(t.executionId);
    if (!p || result.status === "Cancelled") return;
    p.done++;
    if (p.timer) return;
    const wait = p.sentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.sendProgress(t.executionId, p);
    else {
      p.timer = setTimeout(() => {
        p.timer = null;
        this.sendProgress(t.executionId, p);
      }, wait);
      p.timer.unref();
    }
  }

  private sendProgress(executionId: string, p: Progress): void {
    const percent = p.total === 0 ? 100 : Math.floor((p.done * 100) / p.total);
    if (percent === p.sentPercent || !this.progress.has(executionId)) return;
    p.sentPercent = percent;
    p.sentAt = Date.now();
    this.hub.publish({
      key: "TaskProgressChanged",
      args: [executionId, String(percent)],
      origin: paths.execution(p.jobId, executionId),
      resourceType: "JobExecution",
      detail: { jobId: p.jobId, executionId, state: "Running", percentComplete: percent },
    });
  }

  private finished(e: Execution): void {
    const p = this.progress.get(e.id);
    if (p?.timer) clearTimeout(p.timer);
    this.progress.delete(e.id);
    let key = FINISH_KEYS[e.state] ?? "TaskAborted";
    if (key === "TaskCompletedOK" && e.health !== "OK") key = "TaskCompletedWarning";
    const failed = e.steps.flatMap((s) => s.targets.filter((t) => t.status === "Error").map((t) => failedMachine(t, s.action)));
    const args = key === "ExecutionHalted" || key === "ExecutionInterrupted" ? [e.id, e.reason ?? ""] : [e.id];
    this.hub.publish({
      key,
      args,
      origin: paths.execution(e.jobId, e.id),
      resourceType: "JobExecution",
      detail: {
        jobId: e.jobId,
        jobName: this.jobName(e.jobId),
        executionId: e.id,
        state: e.state,
        health: e.health,
        percentComplete: e.percentComplete,
        failedMachines: failed.slice(0, FAILED_LISTED),
        failedCount: failed.length,
      },
    });
  }

  private skipped(e: Execution): void {
    this.hub.publish({
      key: "ExecutionSkipped",
      args: [e.id, e.reason ?? ""],
      origin: paths.execution(e.jobId, e.id),
      resourceType: "JobExecution",
      detail: { jobId: e.jobId, executionId: e.id, state: e.state },
    });
  }

  /** Read in place: a copy of a job over thousands of machines for its name would be waste. */
  private jobName(jobId: string): string | undefined {
    try {
      return this.scheduler.readJob(jobId).name;
    } catch {
      return undefined;
    }
  }
}

function failedMachine(t: TargetResult, action: string): FailedMachine {
  return { machineId: t.target, action, errorType: t.error?.type ?? "Error", message: t.error?.message ?? "" };
}
