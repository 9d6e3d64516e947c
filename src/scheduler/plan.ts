/**
 * A dry run of a job: every (step, target) pair's action `plan` hook, through
 * the worker pool, the job's concurrency cap, the target lock and the task
 * timeout, exactly as a run would reach the target, but changing nothing.
 * The outcomes are the action's own data; the core only gathers them.
 */
import { ShoalError, type ErrorDetail } from "../errors.js";
import type { Job } from "../jobs/types.js";
import type { ActionDefinition, PlanOutcome, PlanResult, PlannedChange } from "./actions.js";
import type { Clock } from "./clock.js";
import { iso } from "./execution-record.js";
import { withFields, type Logger } from "./logger.js";
import type { Lease, TargetLocks } from "./target-lock.js";
import { toTaskError } from "./task-error.js";
import type { WorkerPool } from "./worker-pool.js";

export interface PlanOptions {
  /** Only these targets (each must be a target of some step); default all. */
  targets?: readonly string[];
}

export interface TargetPlan {
  stepIndex: number;
  step: string;
  action: string;
  target: string;
  outcome: PlanOutcome;
  changes: PlannedChange[];
  message: string | null;
}

export interface JobPlan {
  jobId: string;
  startedAt: string;
  endedAt: string;
  targets: TargetPlan[];
}

export interface PlanEnvironment {
  clock: Clock;
  pool: WorkerPool;
  jobLimiter: WorkerPool | undefined;
  locks: TargetLocks;
  actions: ReadonlyMap<string, ActionDefinition>;
  logger: Logger;
}

/** Throws a ValidationError naming each step whose action cannot plan, or each target not in the job. */
function check(job: Job, env: PlanEnvironment, options: PlanOptions): void {
  const problems: ErrorDetail[] = job.steps.flatMap((step, i): ErrorDetail[] =>
    env.actions.get(step.action)?.plan ? [] : [{ path: `/steps/${i}/action`, kind: "invalid", message: `action "${step.action}" cannot plan`, value: step.action }],
  );
  if (options.targets) {
    const known = new Set(job.steps.flatMap((s) => s.targets));
    options.targets.forEach((t, i) => {
      if (!known.has(t)) problems.push({ path: `/targets/${i}`, kind: "notFound", message: `is not a target of job "${job.id}"`, value: t });
    });
  }
  if (problems.length > 0) throw ShoalError.validation(problems, "plan");
}

export async function planJob(job: Job, env: PlanEnvironment, options: PlanOptions = {}): Promise<JobPlan> {
  check(job, env, options);
  const only = options.targets ? new Set(options.targets) : undefined;
  const startedAt = iso(env.clock.now());
  const work: Promise<TargetPlan>[] = [];
  job.steps.forEach((step, stepIndex) => {
    const action = env.actions.get(step.action)!;
    for (const target of step.targets) {
      if (only && !only.has(target)) continue;
      const one = (): Promise<TargetPlan> => planTarget(job, stepIndex, target, action, env);
      const inPool = (): Promise<TargetPlan> => env.pool.run(one) as Promise<TargetPlan>;
      work.push(env.jobLimiter ? (env.jobLimiter.run(inPool) as Promise<TargetPlan>) : inPool());
    }
  });
  const targets = await Promise.all(work);
  return { jobId: job.id, startedAt, endedAt: iso(env.clock.now()), targets };
}

async function planTarget(job: Job, stepIndex: number, target: string, action: ActionDefinition, env: PlanEnvironment): Promise<TargetPlan> {
  const step = job.steps[stepIndex]!;
  const base = { stepIndex, step: step.name, action: step.action, target };
  const timeoutMs = job.policy.taskTimeoutMs;
  const controller = new AbortController();
  const timer =
    timeoutMs === undefined
      ? null
      : env.clock.setTimeout(() => controller.abort(new DOMException(`Task did not finish within ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  let lease: Lease | undefined;
  try {
    const timedOut = new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true }));
    const log = withFields(env.logger, { jobId: job.id, step: step.name, target, plan: true });
    lease = env.locks.lease(target, controller.signal);
    const planned = lease.granted.then(() => action.plan!({ job, step, target, payload: step.payload, signal: controller.signal, log }));
    planned.catch(() => {});
    const result: PlanResult = await Promise.race([planned, timedOut]);
    return { ...base, outcome: result.outcome, changes: result.changes ?? [], message: result.message ?? null };
  } catch (thrown) {
    const error = toTaskError(thrown);
    const outcome: PlanOutcome = error.transient || error.type === "Timeout" || error.type === "TimeoutError" ? "Unreachable" : "Refused";
    return { ...base, outcome, changes: [], message: error.message };
  } finally {
    lease?.end();
    if (timer !== null) env.clock.clearTimeout(timer);
  }
}

/** How many targets had each outcome. */
export function countOutcomes(targets: readonly TargetPlan[]): Record<PlanOutcome, number> {
  const counts: Record<PlanOutcome, number> = { Change: 0, NoChange: 0, Refused: 0, Unreachable: 0 };
  for (const t of targets) counts[t.outcome]++;
  return counts;
}
