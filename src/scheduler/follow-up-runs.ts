/**
 * Runs that continue from an earlier run of the job: a revert (a new run that
 * undoes what a finished run changed) and a resume (a Halted rollout going on
 * with the targets it skipped, in the same execution).
 */
import { ShoalError } from "../errors.js";
import type { Execution } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import type { LiveRuns } from "./live-runs.js";
import { prepareRevert, reopenHalted, type RevertInit } from "./revert.js";
import type { WriteBatch } from "./write-batch.js";

/** Starts the revert of `init.source`; returns the live record of the new run. */
export function startRevert(runs: LiveRuns, batch: WriteBatch, init: RevertInit): Execution {
  const { job } = init;
  const revert = prepareRevert(init);
  const runtime = runs.runtimeOf(job);
  const live = runs.prepare(job, "Revert", 0, null, runtime, revert);
  runs.begin(job, live, runtime);
  batch.addJob(job);
  return live.runner.record;
}

/** Starts the rest of a Halted run; returns its live record. */
export function resumeHalted(runs: LiveRuns, job: Job, stored: Execution): Execution {
  if (runs.has(stored.id)) throw new ShoalError("Conflict", `Execution "${stored.id}" is running`);
  const runtime = runs.runtimeOf(job);
  if (runtime.running.size > 0 && job.policy.overlap !== "Allow") throw new ShoalError("AlreadyRunning", `Job "${job.id}" is running`);
  const record = reopenHalted(stored, job);
  const live = runs.prepare(job, record.trigger, 0, record.initiatedBy, runtime, { record });
  live.resumed = true;
  runs.begin(job, live, runtime);
  return record;
}
