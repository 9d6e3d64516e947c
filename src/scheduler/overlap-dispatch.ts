/**
 * What becomes of a run that falls due (or is asked for) while the job is
 * already running: the job's overlap policy starts it beside the others
 * (Allow), queues it (Queue, one waiting at most) or records it Skipped.
 */
import { ShoalError } from "../errors.js";
import type { Execution, ExecutionTrigger } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import type { LiveRuns } from "./live-runs.js";
import type { WriteBatch } from "./write-batch.js";

/**
 * Starts a run, queues it, or records it skipped. A manual run (someone asked
 * for it) is refused with AlreadyRunning rather than skipped, and starts only
 * once its record is durable; a scheduled one starts at once.
 */
export function dispatch(runs: LiveRuns, batch: WriteBatch, job: Job, trigger: ExecutionTrigger, scheduledFor: number, initiatedBy: string | null, manual: true): Promise<Execution>;
export function dispatch(runs: LiveRuns, batch: WriteBatch, job: Job, trigger: ExecutionTrigger, scheduledFor: number, initiatedBy: string | null, manual: false): Execution;
export function dispatch(
  runs: LiveRuns,
  batch: WriteBatch,
  job: Job,
  trigger: ExecutionTrigger,
  scheduledFor: number,
  initiatedBy: string | null,
  manual: boolean,
): Execution | Promise<Execution> {
  const runtime = runs.runtimeOf(job);
  if (runtime.running.size > 0) {
    const overlap = job.policy.overlap;
    if (overlap === "Skip" || (overlap === "Queue" && runtime.waiting)) {
      if (manual) {
        throw new ShoalError("AlreadyRunning", `Job "${job.id}" is already running${overlap === "Queue" ? " and has a run waiting" : ""}`);
      }
      return runs.recordSkipped(job, trigger, scheduledFor, initiatedBy, "Overlap");
    }
    if (overlap === "Queue") {
      const waiting = runs.prepare(job, trigger, scheduledFor, initiatedBy, runtime);
      runtime.waiting = waiting;
      batch.addExecution(waiting.runner.record);
      return waiting.runner.record;
    }
  }
  const live = runs.prepare(job, trigger, scheduledFor, initiatedBy, runtime);
  if (manual) return runs.beginOnceSaved(job, live, runtime);
  runs.begin(job, live, runtime);
  return live.runner.record;
}
