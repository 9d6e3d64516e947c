import type { Execution, ExecutionReason, ExecutionTrigger, Health, StepState, TargetResult } from "../executions/types.js";
import type { Job, Step } from "../jobs/types.js";

// Two remembered instants: a run's due instant and its start alternate, and runs that start together share both.
let lastMs = NaN;
let lastIso = "";
let otherMs = NaN;
let otherIso = "";

/** ISO 8601 in UTC. toISOString is not free, and a burst of runs asks for the same few instants: keep the last two. */
export function iso(epochMs: number): string {
  if (epochMs === lastMs) return lastIso;
  if (epochMs !== otherMs) {
    otherIso = new Date(epochMs).toISOString();
    otherMs = epochMs;
  }
  const ms = otherMs;
  const text = otherIso;
  otherMs = lastMs;
  otherIso = lastIso;
  lastMs = ms;
  lastIso = text;
  return text;
}

/** A fresh record for one run of `job`, every step and target Pending. */
export function newExecution(init: {
  id: string;
  job: Job;
  trigger: ExecutionTrigger;
  initiatedBy: string | null;
  scheduledFor: number;
}): Execution {
  const jobSteps = init.job.steps;
  const steps = new Array<Execution["steps"][number]>(jobSteps.length);
  let group = -1;
  for (let i = 0; i < jobSteps.length; i++) {
    const step = jobSteps[i]!;
    if (step.mode === "Sequential" || i === 0) group++;
    const targets = new Array<TargetResult>(step.targets.length);
    for (let t = 0; t < targets.length; t++) targets[t] = pendingTarget(step.targets[t]!);
    steps[i] = { name: step.name, action: step.action, group, state: "Pending" as StepState, targets };
  }
  return {
    id: init.id,
    jobId: init.job.id,
    trigger: init.trigger,
    initiatedBy: init.initiatedBy,
    scheduledFor: iso(init.scheduledFor),
    startedAt: null,
    endedAt: null,
    state: "Pending",
    health: null,
    percentComplete: 0,
    reason: null,
    steps,
  };
}

/** A record of a run that did not happen (overlap, misfire): no steps were attempted. */
export function skippedExecution(init: {
  id: string;
  job: Job;
  trigger: ExecutionTrigger;
  initiatedBy: string | null;
  scheduledFor: number;
  at: number;
  reason: ExecutionReason;
}): Execution {
  return {
    id: init.id,
    jobId: init.job.id,
    trigger: init.trigger,
    initiatedBy: init.initiatedBy,
    scheduledFor: iso(init.scheduledFor),
    startedAt: null,
    endedAt: iso(init.at),
    state: "Skipped",
    health: null,
    percentComplete: 0,
    reason: init.reason,
    steps: [],
  };
}

function pendingTarget(target: string): TargetResult {
  return { target, status: "Pending", ok: false, attempts: 0, startedAt: null, endedAt: null };
}

/** The group number of each step: Sequential opens a new group, ParallelWithPrevious joins the current one. */
export function groupIndexes(steps: readonly Step[]): number[] {
  let group = -1;
  return steps.map((step, i) => (step.mode === "Sequential" || i === 0 ? ++group : group));
}

/** The groups of a one-step job, shared: most jobs have one step and every run asks. */
const ONE_GROUP: readonly (readonly number[])[] = Object.freeze([Object.freeze([0])]);

/** Step indexes per group, in order. */
export function stepGroups(steps: readonly Step[]): readonly (readonly number[])[] {
  if (steps.length === 1) return ONE_GROUP;
  const groups: number[][] = [];
  groupIndexes(steps).forEach((g, i) => (groups[g] ??= []).push(i));
  return groups;
}

/** The step's target if it has just one and it is still Pending. */
export function soleTarget(step: Execution["steps"][number]): TargetResult | undefined {
  return step.targets.length === 1 && step.targets[0]!.status === "Pending" ? step.targets[0] : undefined;
}

/**
 * OK when every target that ran succeeded, Critical when all failed, Warning
 * in between, and Warning when any outcome is Unknown (never OK: someone must
 * look at those targets) or a success's afterTask hook failed (the gateway
 * could not write its result file); null when none ran.
 */
export function healthOf(execution: Execution): Health | null {
  let ok = 0;
  let failed = 0;
  let unknown = 0;
  let unrecorded = 0;
  const steps = execution.steps;
  for (let s = 0; s < steps.length; s++) {
    const targets = steps[s]!.targets;
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      if (t.status === "Success") ok++;
      else if (t.status === "Error") failed++;
      else if (t.status === "Unknown") unknown++;
      if (t.annotations?.[AFTER_TASK_ERROR] !== undefined) unrecorded++;
    }
  }
  if (ok + failed + unknown === 0) return null;
  if (unknown > 0) return "Warning";
  return failed === 0 ? (unrecorded === 0 ? "OK" : "Warning") : ok === 0 ? "Critical" : "Warning";
}

/** The annotation under which the runner keeps an afterTask hook's failure. */
export const AFTER_TASK_ERROR = "afterTaskError";

/** Why a run that otherwise went well is not OK: its afterTask failures, counted, with the first one's message; null when none. */
export function afterTaskReason(execution: Execution): `AfterTaskFailed: ${string}` | null {
  let count = 0;
  let total = 0;
  let first: unknown;
  const steps = execution.steps;
  for (let s = 0; s < steps.length; s++) {
    const targets = steps[s]!.targets;
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      total++;
      const error = t.annotations?.[AFTER_TASK_ERROR];
      if (error === undefined) continue;
      count++;
      first ??= error;
    }
  }
  return count === 0 ? null : `AfterTaskFailed: ${count} of ${total} tasks: ${String(first)}`;
}

/** Share of targets that reached an outcome (succeeded, failed or skipped), 0..100. */
export function percentCompleteOf(execution: Execution): number {
  let total = 0;
  let done = 0;
  const steps = execution.steps;
  for (let s = 0; s < steps.length; s++) {
    const targets = steps[s]!.targets;
    for (let i = 0; i < targets.length; i++) {
      const status = targets[i]!.status;
      total++;
      if (status === "Success" || status === "Error" || status === "Skipped" || status === "Unknown") done++;
    }
  }
  return total === 0 ? 100 : Math.floor((done * 100) / total);
}

/**
 * A step failed when every one of its targets failed. A step where only some
 * targets failed is Completed: the run goes on and the execution's health
 * (Warning) says that not all went well. This keeps one unreachable machine out
 * of a thousand from stopping the other 999.
 */
export function stepOutcome(targets: readonly TargetResult[]): StepState {
  if (targets.some((t) => t.status === "Cancelled" || t.status === "Unknown")) return "Cancelled";
  return targets.length > 0 && targets.every((t) => t.status === "Error") ? "Failed" : "Completed";
}
