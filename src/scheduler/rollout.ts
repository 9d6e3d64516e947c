/**
 * The rollout step policy: how a step's targets are cut into waves, when a
 * run must halt, and how a policy given by a caller is checked. The runner
 * drives the waves (execution-runner.ts); this file only decides.
 */
import type { ExecutionReason, TargetResult } from "../executions/types.js";
import type { RolloutPolicy } from "../jobs/types.js";
import { Problems, isObject, typeName } from "../problems.js";

/** Why a rollout halted, as the run's reason says it. */
export type HaltReason = Extract<ExecutionReason, "CanaryFailed" | `FailureBudgetExceeded: ${string}`>;

/** The reason a Skipped target carries when a halted rollout never reached it. */
export const ROLLOUT_HALTED = "RolloutHalted";

const ROLLOUT_KEYS = ["canary", "batchSize", "batchPercent", "maxFailurePercent", "pauseMs", "onHalt"];

/**
 * Target indexes per wave: the canary wave first (absent when canary is 0),
 * then batches in target order. Stable for a given count, so a resumed run
 * finds the same waves.
 */
export function wavesOf(count: number, policy: RolloutPolicy): number[][] {
  const waves: number[][] = [];
  const canary = Math.min(policy.canary, count);
  if (canary > 0) waves.push(range(0, canary));
  const size = batchSizeOf(count, policy);
  for (let start = canary; start < count; start += size) waves.push(range(start, Math.min(count, start + size)));
  return waves;
}

/** Batches after the canary. */
export function batchCount(count: number, policy: RolloutPolicy): number {
  const rest = Math.max(0, count - Math.min(policy.canary, count));
  return rest === 0 ? 0 : Math.ceil(rest / batchSizeOf(count, policy));
}

function batchSizeOf(count: number, policy: RolloutPolicy): number {
  if (policy.batchSize !== undefined) return policy.batchSize;
  const percent = policy.batchPercent ?? 100;
  return Math.max(1, Math.ceil((count * percent) / 100));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/**
 * Counts outcomes from the start of a run (a resumed run starts afresh: who
 * resumed it knows what failed before) and says when to halt.
 */
export class FailureBudget {
  private done = 0;
  private failed = 0;

  constructor(private readonly maxFailurePercent: number) {}

  record(results: readonly TargetResult[]): void {
    for (const r of results) {
      if (r.status === "Success") this.done++;
      else if (r.status === "Error") {
        this.done++;
        this.failed++;
      }
    }
  }

  /** Why the run must halt after a wave, or null to go on. */
  verdict(wave: readonly TargetResult[], canary: boolean): HaltReason | null {
    if (canary && wave.some((r) => r.status === "Error")) return "CanaryFailed";
    if (this.done === 0) return null;
    const share = (this.failed * 100) / this.done;
    if (share <= this.maxFailurePercent) return null;
    return `FailureBudgetExceeded: ${this.failed} of ${this.done} failed (${Math.round(share)}%), more than ${this.maxFailurePercent}%`;
  }
}

/** Checks `policy.rollout` as a caller gave it; problems are noted under /policy/rollout. */
export function checkRollout(value: unknown, p: Problems): RolloutPolicy | undefined {
  const at = "/policy/rollout";
  if (!isObject(value)) {
    p.add(at, "type", `must be an object, not ${typeName(value)}`, value);
    return undefined;
  }
  const before = p.list.length;
  p.unknownKeys(value, ROLLOUT_KEYS, at);
  const whole = (key: string, min: number, max: number, fallback?: number): number | undefined => {
    const v = value[key] ?? fallback;
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v)) p.add(`${at}/${key}`, "type", "must be a whole number", v);
    else if (v < min || v > max) p.add(`${at}/${key}`, "outOfRange", `must be between ${min} and ${max}`, v);
    else return v;
    return undefined;
  };
  const canary = whole("canary", 0, 1_000_000, 0);
  const batchSize = whole("batchSize", 1, 1_000_000);
  const batchPercent = whole("batchPercent", 1, 100);
  const maxFailurePercent = whole("maxFailurePercent", 0, 100, 0);
  const pauseMs = whole("pauseMs", 0, 2 ** 31 - 1, 0);
  if (batchSize !== undefined && batchPercent !== undefined) {
    p.add(`${at}/batchPercent`, "invalid", "cannot be given with batchSize", batchPercent);
  } else if (value.batchSize === undefined && value.batchPercent === undefined) {
    p.add(`${at}/batchSize`, "missing", "is required (or batchPercent)");
  }
  const onHalt = value.onHalt ?? "Stop";
  if (onHalt !== "Stop" && onHalt !== "Revert") p.add(`${at}/onHalt`, "notInList", "must be Stop or Revert", onHalt);
  if (p.list.length > before) return undefined;
  const policy: RolloutPolicy = { canary: canary!, maxFailurePercent: maxFailurePercent!, pauseMs: pauseMs!, onHalt: onHalt as RolloutPolicy["onHalt"] };
  if (batchSize !== undefined) policy.batchSize = batchSize;
  if (batchPercent !== undefined) policy.batchPercent = batchPercent;
  return policy;
}
