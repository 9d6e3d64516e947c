import type { Schedule } from "../schedule/types.js";

export type StepMode = "Sequential" | "ParallelWithPrevious";
export type OverlapPolicy = "Skip" | "Queue" | "Allow";
export type MisfirePolicy = "RunOnce" | "Skip";

export interface RetryPolicy {
  /** Total attempts including the first; 1 means no retry. */
  maxAttempts: number;
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Fraction of each delay (0..1) drawn at random, so many targets do not retry in lockstep. */
  jitter?: number;
}

/**
 * Targets in waves with a failure budget: the first `canary` targets, then
 * batches of `batchSize` (or `batchPercent` of the step's targets). After each
 * wave the run halts if a canary failed or more than `maxFailurePercent` of
 * the targets done so far in this run failed; the rest are Skipped
 * (RolloutHalted) and the execution is Halted until resumed.
 */
export interface RolloutPolicy {
  canary: number;
  batchSize?: number;
  batchPercent?: number;
  maxFailurePercent: number;
  pauseMs: number;
  onHalt: "Stop" | "Revert";
}

export interface Policy {
  overlap: OverlapPolicy;
  misfire: MisfirePolicy;
  retry?: RetryPolicy;
  taskTimeoutMs?: number;
  executionTimeoutMs?: number;
  maxConcurrency?: number;
  rollout?: RolloutPolicy;
}

export type PolicySpec = Partial<Policy>;

export interface Step {
  name: string;
  action: string;
  targets: string[];
  payload?: unknown;
  mode: StepMode;
  continueOnFailure: boolean;
}

export interface StepSpec {
  name?: string;
  action: string;
  targets: string[];
  payload?: unknown;
  mode?: StepMode;
  continueOnFailure?: boolean;
}

/** A job as the scheduler keeps and stores it. Times are ISO 8601 strings in UTC. */
export interface Job {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  /** Why the job was paused, kept while it is disabled. */
  pausedReason: string | null;
  /** Set by cancelJob: the job stops scheduling for good but stays readable. */
  cancelled: boolean;
  schedule: Schedule;
  steps: Step[];
  policy: Policy;
  createdAt: string;
  updatedAt: string;
  lastRunAt: string | null;
  nextRunAt: string | null;
  runCount: number;
  /** Free-form data an embedder keeps with the job (the gateway keeps its wire form here). */
  metadata?: Record<string, unknown>;
}

export interface JobSpec {
  id?: string;
  name: string;
  description?: string | null;
  enabled?: boolean;
  schedule: Schedule;
  steps: StepSpec[];
  policy?: PolicySpec;
  metadata?: Record<string, unknown>;
}

export type JobPatch = Partial<Omit<JobSpec, "id">>;
