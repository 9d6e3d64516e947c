/**
 * Keeps each job's nextRunAt in step with its schedule and the job on the
 * timer at that instant, turns a due instant into a run, and applies the
 * misfire policy to a run that fell due while nobody was watching.
 */
import type { ExecutionReason, ExecutionTrigger } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import { nextRun } from "../schedule/index.js";
import type { Clock } from "./clock.js";
import type { ClusterHooks } from "./cluster-hooks.js";
import type { LiveRuns } from "./live-runs.js";
import type { Logger } from "./logger.js";
import { dispatch } from "./overlap-dispatch.js";
import { TimerQueue } from "./timer-queue.js";
import type { WriteBatch } from "./write-batch.js";

export interface JobTimerEnvironment {
  clock: Clock;
  /** The zone for schedules that name none. */
  timeZone: string;
  jobs: ReadonlyMap<string, Job>;
  runs: LiveRuns;
  batch: WriteBatch;
  logger: Logger;
  /** Set when several schedulers share one store (see ClusterHooks). */
  cluster: ClusterHooks | undefined;
  /** Whether the scheduler is running (a timer firing while it stops starts nothing). */
  running(): boolean;
}

export class JobTimer {
  private readonly timers: TimerQueue<string>;

  constructor(private readonly env: JobTimerEnvironment) {
    this.timers = new TimerQueue(env.clock, (jobId, due) => this.fire(jobId, due));
  }

  /**
   * At start: each enabled job whose run fell due while the process was down
   * gets its misfire policy applied once; every enabled job goes on the timer.
   */
  startAll(now: number): void {
    for (const job of this.env.jobs.values()) {
      if (!job.enabled || job.cancelled) continue;
      this.catchUp(job, now, true);
      this.arm(job);
    }
    this.timers.start();
  }

  /** Whether runs that fell due are still being handed out. */
  get handingOut(): boolean {
    return this.timers.handingOut;
  }

  stop(): void {
    this.timers.stop();
  }

  /** Takes the job off the timer. */
  remove(jobId: string): void {
    this.timers.remove(jobId);
  }

  /** The schedule's next instant strictly after `after`, as stored on the job. */
  upcoming(job: Job, after: number): string | null {
    const next = nextRun(job.schedule, { after: new Date(after), timeZone: this.env.timeZone });
    return next === null ? null : next.toISOString();
  }

  /** Puts the job on the timer, or takes it off, according to its state. */
  arm(job: Job): void {
    if (job.enabled && !job.cancelled && job.nextRunAt !== null) this.timers.schedule(job.id, Date.parse(job.nextRunAt));
    else this.timers.remove(job.id);
  }

  /**
   * Applies the misfire policy once if the job's next run has passed (it fell
   * due while the job was paused or the process was down), then moves nextRunAt
   * past now. A Once job's single run is spent by this. Returns whether it misfired.
   */
  catchUp(job: Job, now: number, restarting: boolean): boolean {
    if (job.nextRunAt === null) return false;
    const due = Date.parse(job.nextRunAt);
    if (due > now) {
      // Restarting: recompute, in case the zone or the rules changed; a Once keeps its instant.
      if (restarting && job.schedule.type !== "Once") job.nextRunAt = this.upcoming(job, now);
      return false;
    }
    job.nextRunAt = job.schedule.type === "Once" ? null : this.upcoming(job, now);
    if (job.policy.misfire === "RunOnce") this.startDue(job, "CatchUp", due);
    else this.startDue(job, "Schedule", due, "Misfire");
    return true;
  }

  /** The timer says the job is due. */
  private fire(jobId: string, due: number): void {
    const { jobs, clock, logger } = this.env;
    const job = jobs.get(jobId);
    if (!job || !job.enabled || job.cancelled || !this.env.running()) return;
    try {
      const now = clock.now();
      job.nextRunAt = job.schedule.type === "Once" ? null : this.upcoming(job, Math.max(now, due));
      this.arm(job);
      this.startDue(job, "Schedule", due);
    } catch (error) {
      logger.error("could not start a due job", { jobId, error: String(error) });
    }
  }

  /**
   * A due run (or its misfire record) is made by one instance: alone, at once;
   * in a cluster, by the one whose claim on the occurrence wins, and only if
   * no other instance runs the job against its overlap policy.
   */
  private startDue(job: Job, trigger: ExecutionTrigger, due: number, skipped?: ExecutionReason): void {
    const { runs, batch, cluster, jobs, logger } = this.env;
    if (!cluster) {
      if (skipped) runs.recordSkipped(job, trigger, due, null, skipped);
      else dispatch(runs, batch, job, trigger, due, null, false);
      batch.addJob(job);
      return;
    }
    void (async () => {
      if (!(await cluster.claimOccurrence(job.id, due))) return;
      const current = jobs.get(job.id);
      if (!current || !this.env.running()) return;
      if (skipped) runs.recordSkipped(current, trigger, due, null, skipped);
      else if (!(await cluster.claimRun(current.id, current.policy.overlap))) runs.recordSkipped(current, trigger, due, null, "Overlap");
      else runs.claimedBy(current.id, () => dispatch(runs, batch, current, trigger, due, null, false));
      batch.addJob(current);
    })().catch((error: unknown) => logger.error("could not claim a due run", { jobId: job.id, error: String(error) }));
  }
}
