/**
 * A revert is a new run of a job built from a finished run's snapshots: each
 * target that run changed gets its action's `revert` hook with the `before`
 * and `after` it recorded. Steps go in reverse order (the last change is
 * undone first), each on its own, and a target that cannot be reverted never
 * stops the others.
 */
import { ShoalError } from "../errors.js";
import { isFinal, type Execution } from "../executions/types.js";
import type { Job, Step } from "../jobs/types.js";
import type { ActionContext, ActionDefinition } from "./actions.js";
import { isRevertible } from "./change-report.js";
import { newExecution } from "./execution-record.js";
import { ROLLOUT_HALTED } from "./rollout.js";

export interface RevertRun {
  /** The job as the revert run sees it: the reverted run's steps, only their changed targets. */
  job: Job;
  record: Execution;
  invoke(action: ActionDefinition, ctx: ActionContext): Promise<unknown>;
}

export interface RevertInit {
  id: string;
  job: Job;
  source: Execution;
  actions: ReadonlyMap<string, ActionDefinition>;
  now: number;
  initiatedBy: string | null;
}

const key = (step: string, target: string): string => `${step}\u0000${target}`;

export function prepareRevert(init: RevertInit): RevertRun {
  const { job, source, actions } = init;
  if (!isFinal(source.state)) {
    throw new ShoalError("Conflict", `Execution "${source.id}" is still ${source.state}; revert it once it has ended`);
  }
  const snapshots = new Map<string, { before: unknown; after: unknown }>();
  const steps: Step[] = [];
  for (const result of [...source.steps].reverse()) {
    const changed = result.targets.filter(isRevertible);
    if (changed.length === 0) continue;
    if (!actions.get(result.action)?.revert) {
      throw new ShoalError("Conflict", `Action "${result.action}" of step "${result.name}" cannot revert what it did`);
    }
    for (const t of changed) snapshots.set(key(result.name, t.target), { before: t.before, after: t.after });
    const original = job.steps.find((s) => s.name === result.name);
    const step: Step = {
      name: result.name,
      action: result.action,
      targets: changed.map((t) => t.target),
      mode: "Sequential",
      continueOnFailure: true,
    };
    if (original?.payload !== undefined) step.payload = original.payload;
    steps.push(step);
  }
  const policy = { ...job.policy };
  delete policy.rollout;
  const view: Job = { ...job, steps, policy };
  const record = newExecution({ id: init.id, job: view, trigger: "Revert", initiatedBy: init.initiatedBy, scheduledFor: init.now });
  record.revertOf = source.id;
  return {
    job: view,
    record,
    invoke(action, ctx) {
      const snapshot = snapshots.get(key(ctx.step.name, ctx.target))!;
      return action.revert!({
        job: ctx.job,
        execution: ctx.execution,
        step: ctx.step,
        target: ctx.target,
        payload: ctx.payload,
        attempt: ctx.attempt,
        signal: ctx.signal,
        log: ctx.log,
        revertOf: source.id,
        before: snapshot.before,
        after: snapshot.after,
      });
    },
  };
}

/**
 * Makes a halted run ready to go on: the targets its halt skipped are Pending
 * again, and so are their steps. Refuses when the job's steps changed since:
 * the record's steps and targets must still be the job's, in order.
 */
export function reopenHalted(record: Execution, job: Job): Execution {
  if (record.state !== "Halted") {
    throw new ShoalError("Conflict", `Execution "${record.id}" is ${record.state}; only a Halted execution can be resumed`);
  }
  const same =
    record.steps.length === job.steps.length &&
    record.steps.every((s, i) => s.action === job.steps[i]!.action && s.targets.length === job.steps[i]!.targets.length && s.targets.every((t, j) => t.target === job.steps[i]!.targets[j]));
  if (!same) throw new ShoalError("Conflict", `Job "${job.id}" changed its steps since execution "${record.id}" halted; it cannot be resumed`);
  for (const step of record.steps) {
    let reopened = false;
    for (const t of step.targets) {
      if (t.status !== "Skipped" || t.reason !== ROLLOUT_HALTED) continue;
      t.status = "Pending";
      delete t.reason;
      reopened = true;
    }
    if (reopened) step.state = "Pending";
  }
  record.state = "Pending";
  record.endedAt = null;
  record.reason = null;
  if (record.rollout) record.rollout = { ...record.rollout, halted: false, reason: null };
  return record;
}
