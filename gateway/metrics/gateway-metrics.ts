/**
 * The gateway's Prometheus metrics. Everything is read from what already
 * exists: the scheduler's typed events (jobs, runs, tasks, retries, and the
 * BMC requests each task records), its pool status, the event service's
 * delivery outcomes and stream count. Nothing in the code is instrumented a
 * second time. Each gateway has its own registry (tests run several).
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Execution } from "../../src/executions/types.js";
import type { Job } from "../../src/jobs/types.js";
import type { TaskFinishedEvent, TaskRetryingEvent } from "../../src/scheduler/events.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { EventService } from "../events/event-service.js";
import { outcomeFields } from "../results/task-outcome.js";

type JobStatus = "enabled" | "paused" | "cancelled";

function statusOf(job: Job): JobStatus {
  return job.cancelled ? "cancelled" : job.enabled ? "enabled" : "paused";
}

function seconds(from: string | null, to: string | null): number | null {
  if (from === null || to === null) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : null;
}

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600];
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
export class GatewayMetrics {
  readonly registry = new Registry();
  /**
   * Each job's status, read once at the first scrape (not at start, which
   * then costs the same however many jobs are kept) and kept up to date by
   * the scheduler's events from then on.
   */
  private jobs: Map<string, JobStatus> | null = null;
  private readonly detach: () => void;

  constructor(scheduler: Scheduler, events: EventService) {
    const r = [this.registry];
    const jobStatuses = (): Map<string, JobStatus> => {
      this.jobs ??= new Map(scheduler.listJobs().items.map((job) => [job.id, statusOf(job)]));
      return this.jobs;
    };
    new Gauge({
      name: "shoal_jobs",
      help: "Jobs by status",
      labelNames: ["status"],
      registers: r,
      collect() {
        const counts: Record<JobStatus, number> = { enabled: 0, paused: 0, cancelled: 0 };
        for (const s of jobStatuses().values()) counts[s]++;
        for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
      },
    });
    const running = new Gauge({ name: "shoal_executions_running", help: "Runs in progress", registers: r });
    const executions = new Counter({ name: "shoal_executions_total", help: "Runs that ended (or were skipped), by final state and health", labelNames: ["state", "health"], registers: r });
    const runDuration = new Histogram({ name: "shoal_execution_duration_seconds", help: "Run durations, start to end, by final state", labelNames: ["state"], buckets: DURATION_BUCKETS, registers: r });
    const outcomes = new Counter({
      name: "shoal_machine_outcomes_total",
      help: "Tasks (one machine in one step) that ended, by action, status and error type",
      labelNames: ["action", "status", "error_type"],
      registers: r,
    });
    const taskDuration = new Histogram({ name: "shoal_task_duration_seconds", help: "Task durations, first attempt to end, by action and status", labelNames: ["action", "status"], buckets: DURATION_BUCKETS, registers: r });
    const retries = new Counter({ name: "shoal_task_retries_total", help: "Attempts that failed transiently and were retried, by action and error type", labelNames: ["action", "error_type"], registers: r });
    const bmc = new Histogram({
      name: "shoal_bmc_request_duration_seconds",
      help: "BMC requests made for tasks, by method and HTTP status (or the error type when no answer came)",
      labelNames: ["method", "status"],
      buckets: REQUEST_BUCKETS,
      registers: r,
    });
    const lateness = new Histogram({
      name: "shoal_timer_lateness_seconds",
      help: "How late scheduled runs started after their due instant",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60],
      registers: r,
    });
    const pool = scheduler;
    new Gauge({ name: "shoal_pool_size", help: "Worker pool size", registers: r, collect() { this.set(pool.pool.size); } });
    new Gauge({ name: "shoal_pool_active_tasks", help: "Tasks running in the worker pool", registers: r, collect() { this.set(pool.pool.active); } });
    new Gauge({ name: "shoal_pool_queued_tasks", help: "Tasks waiting for a worker", registers: r, collect() { this.set(pool.pool.queued); } });
    const published = new Counter({ name: "shoal_events_total", help: "Events published, by MessageId", labelNames: ["message_id"], registers: r });
    const deliveries = new Counter({ name: "shoal_event_deliveries_total", help: "Event delivery attempts to subscriptions, by format and outcome", labelNames: ["format", "outcome"], registers: r });
    new Gauge({ name: "shoal_event_streams", help: "Open Server-Sent Event streams", registers: r, collect() { this.set(events.streams.count); } });

    const observeRequests = (source: { output?: unknown; error?: unknown }): void => {
      for (const req of outcomeFields(source).requests) {
        bmc.observe({ method: req.method, status: req.status === null ? (req.error_type ?? "NoResponse") : String(req.status) }, req.duration_ms / 1000);
      }
    };
    // Before the first scrape there is nothing to keep up to date: that scrape reads the jobs as they are then.
    const onJob = (job: Job): void => void this.jobs?.set(job.id, statusOf(job));
    const onDeleted = (job: Job): void => void this.jobs?.delete(job.id);
    const onStarted = (e: Execution): void => {
      running.inc();
      const late = e.trigger === "Schedule" ? seconds(e.scheduledFor, e.startedAt) : null;
      if (late !== null) lateness.observe(late);
    };
    const onFinished = (e: Execution): void => {
      running.dec();
      executions.inc({ state: e.state, health: e.health ?? "none" });
      const d = seconds(e.startedAt, e.endedAt);
      if (d !== null) runDuration.observe({ state: e.state }, d);
    };
    const onSkipped = (e: Execution): void => void executions.inc({ state: e.state, health: e.health ?? "none" });
    const onTask = (t: TaskFinishedEvent): void => {
      const { result } = t;
      outcomes.inc({ action: t.action, status: result.status, error_type: result.error?.type ?? "" });
      const d = seconds(result.startedAt, result.endedAt);
      if (d !== null) taskDuration.observe({ action: t.action, status: result.status }, d);
      observeRequests(result);
    };
    const onRetry = (t: TaskRetryingEvent): void => {
      retries.inc({ action: t.action, error_type: t.error.type });
      observeRequests({ error: t.error });
    };
    scheduler.on("jobCreated", onJob).on("jobUpdated", onJob).on("jobDeleted", onDeleted);
    scheduler.on("executionStarted", onStarted).on("executionFinished", onFinished).on("executionSkipped", onSkipped);
    scheduler.on("taskFinished", onTask).on("taskRetrying", onRetry);
    const stopEvents = events.hub.subscribe((e) => published.inc({ message_id: e.messageId }));
    events.outbox.observe((o) => deliveries.inc({ format: o.format, outcome: o.ok ? "delivered" : "failed" }));
    this.detach = () => {
      scheduler.off("jobCreated", onJob).off("jobUpdated", onJob).off("jobDeleted", onDeleted);
      scheduler.off("executionStarted", onStarted).off("executionFinished", onFinished).off("executionSkipped", onSkipped);
      scheduler.off("taskFinished", onTask).off("taskRetrying", onRetry);
      stopEvents();
    };
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  close(): void {
    this.detach();
  }
}
