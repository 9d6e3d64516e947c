/**
 * The job's last run that actually ran (not Skipped, not still going), with
 * its id and end: what the Job resource's LastRun shows. Read in place through
 * Scheduler.lastOutcome: every GET of a job asks, and copying a run that is
 * still going over thousands of machines made each GET cost milliseconds of
 * the main thread during a fan-out.
 */
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { LastRun } from "./job-resource.js";

export function lastRunOf(scheduler: Scheduler, jobId: string): LastRun | undefined {
  const outcome = scheduler.lastOutcome(jobId);
  return outcome && { id: outcome.id, state: outcome.state, health: outcome.health, endedAt: outcome.endedAt };
}
