import type { Execution, ExecutionState } from "../executions/types.js";

/** Figures over the execution history a store still holds for one job (see Scheduler.stats). */
export interface JobStats {
  /** Executions that started (finished or not); skipped ones are counted apart. */
  runs: number;
  /** Runs that ended Completed. */
  succeeded: number;
  /** Failed, plus runs cut short by a process restart. */
  failed: number;
  /** Runs recorded as Skipped (overlap or misfire). */
  skipped: number;
  /** succeeded / finished runs, 0..1; null before the first finished run. */
  successRate: number | null;
  /** Over finished runs; null before the first. */
  averageDurationMs: number | null;
  /** When the newest run started. */
  lastRunAt: string | null;
  /** The newest run's state. */
  lastState: ExecutionState | null;
  /** Target results that reached an outcome (succeeded or failed). */
  targetsProcessed: number;
}

/** Figures over the execution history the store still holds for one job (see its retention). */
export function statsOf(executions: readonly Execution[], lastRunAt: string | null): JobStats {
  let runs = 0;
  let succeeded = 0;
  let failed = 0;
  let skipped = 0;
  let finished = 0;
  let durationTotal = 0;
  let timed = 0;
  let targetsProcessed = 0;
  for (const e of executions) {
    if (e.state === "Skipped") {
      skipped++;
      continue;
    }
    if (e.startedAt === null) continue;
    runs++;
    if (e.state === "Completed") succeeded++;
    if (e.state === "Failed" || e.state === "Interrupted") failed++;
    if (e.state === "Completed" || e.state === "Failed" || e.state === "Interrupted" || e.state === "Cancelled") finished++;
    if (e.endedAt !== null) {
      durationTotal += Date.parse(e.endedAt) - Date.parse(e.startedAt);
      timed++;
    }
    for (const step of e.steps) {
      for (const t of step.targets) if (t.status === "Success" || t.status === "Error") targetsProcessed++;
    }
  }
  return {
    runs,
    succeeded,
    failed,
    skipped,
    successRate: finished === 0 ? null : succeeded / finished,
    averageDurationMs: timed === 0 ? null : durationTotal / timed,
    lastRunAt,
    lastState: executions[0]?.state ?? null,
    targetsProcessed,
  };
}
