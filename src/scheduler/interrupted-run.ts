/**
 * What a run the last process left unfinished becomes at the next start:
 * Interrupted, with every target that had ended keeping its outcome (they are
 * saved one by one as they end), a target whose request was out marked
 * Unknown (it may have taken effect), one that never started Cancelled, and
 * the step states, health and percentage recomputed from those.
 */
import type { Execution, StepResult, TargetResult } from "../executions/types.js";
import { healthOf, percentCompleteOf, stepOutcome } from "./execution-record.js";
import { cancelledError, inFlightError } from "./task-error.js";

const REASON = "ProcessRestarted";

export function interruptedRun(execution: Execution, endedAt: string): Execution {
  const record: Execution = {
    ...execution,
    state: "Interrupted",
    reason: REASON,
    endedAt,
    steps: execution.steps.map((step) => closedStep(step, endedAt)),
  };
  record.health = healthOf(record);
  record.percentComplete = percentCompleteOf(record);
  return record;
}

function closedStep(step: StepResult, endedAt: string): StepResult {
  const targets = step.targets.map((t) => closedTarget(t, endedAt));
  const open = step.state === "Pending" || step.state === "Running";
  return { ...step, targets, state: open ? stepOutcome(targets) : step.state };
}

function closedTarget(target: TargetResult, endedAt: string): TargetResult {
  if (target.status === "Running") {
    return { ...target, status: "Unknown", ok: false, endedAt, error: inFlightError("the process ended") };
  }
  if (target.status === "Pending") {
    // Never started, or waiting to retry after an answer that is already recorded.
    return { ...target, status: "Cancelled", ok: false, endedAt, error: target.error ?? cancelledError("The process ended before this task started") };
  }
  return target;
}
