/**
 * What travels through the task queue: one try of one action on one target,
 * and what became of it. A task carries the job, run and step it belongs to
 * without their target lists, so a run over 10 000 machines does not copy
 * 10 000 names into each of its 10 000 tasks.
 */
import { createHash } from "node:crypto";
import type { Execution, TaskError } from "../../executions/types.js";
import type { Job, Step } from "../../jobs/types.js";
import type { ActionContext } from "../../scheduler/actions.js";

export const TASK_QUEUE = "shoal-task";

export interface TaskData {
  action: string;
  /** `revert` calls the action's revert(), with `revertOf`, `before` and `after`. */
  kind: "run" | "revert";
  target: string;
  attempt: number;
  job: Job;
  execution: Execution;
  step: Step;
  revert?: { revertOf: string; before: unknown; after: unknown };
}

export type TaskOutcome = { ok: true; output?: unknown } | { ok: false; error: TaskError; retryAfterMs?: number };

/** The task's data, taken from the action context of the run that sends it. */
export function taskData(action: string, kind: TaskData["kind"], ctx: ActionContext): TaskData {
  const data: TaskData = {
    action,
    kind,
    target: ctx.target,
    attempt: ctx.attempt,
    job: { ...ctx.job, steps: ctx.job.steps.map((s) => ({ ...s, targets: [] })) },
    execution: { ...ctx.execution, steps: [] },
    step: { ...ctx.step, targets: [] },
  };
  if (kind === "revert") {
    const r = ctx as unknown as Record<string, unknown>;
    data.revert = { revertOf: String(r["revertOf"]), before: r["before"], after: r["after"] };
  }
  return data;
}

/**
 * The same task always gets the same id (run, step, target, try), so sending
 * it again, as an instance taking over a run would, does not make a second one.
 */
export function taskId(data: TaskData): string {
  const hash = createHash("sha256").update([data.kind, data.execution.id, data.step.name, data.target, String(data.attempt)].join("\u0000")).digest("hex");
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

/** An error outcome as the runner expects an action's failure: type, transient, detail and retryAfterMs on the thrown value. */
export function thrownFrom(outcome: { error: TaskError; retryAfterMs?: number }): Error {
  const error = Object.assign(new Error(outcome.error.message), outcome.error);
  if (outcome.retryAfterMs !== undefined) Object.assign(error, { retryAfterMs: outcome.retryAfterMs });
  return error;
}

/** A stored outcome, or null when the row holds something else (pg-boss's own failure note). */
export function parseOutcome(value: unknown): TaskOutcome | null {
  if (typeof value !== "object" || value === null) return null;
  const ok = (value as Record<string, unknown>)["ok"];
  if (ok === true) return value as TaskOutcome;
  if (ok === false && typeof (value as Record<string, unknown>)["error"] === "object") return value as TaskOutcome;
  return null;
}
