import type { Schedule } from "../schedule/types.js";

/** "Sequential" starts a new group of steps after the previous group; "ParallelWithPrevious" joins it. */
export type StepMode = "Sequential" | "ParallelWithPrevious";
/** A run falls due while the last is still going: record it as skipped, let one wait, or run both. */
export type OverlapPolicy = "Skip" | "Queue" | "Allow";
/** Due times missed while the process was down or the job paused: one catch-up run, or one skipped record. */
export type MisfirePolicy = "RunOnce" | "Skip";

/** Retries of a task whose error is transient (or a task timeout), with exponential backoff. */
export interface RetryPolicy {
  /** Total attempts including the first; 1 means no retry. */
  maxAttempts: number;
  /** Wait before the first retry. */
  initialDelayMs: number;
  /** Each wait is the previous one times this (>= 1). */
  factor: number;
  /** No wait is longer than this. */
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

/** How a job's runs behave; every field has a default (see PolicySpec). */
export interface Policy {
  /** Default "Skip". */
  overlap: OverlapPolicy;
  /** Default "RunOnce". */
  misfire: MisfirePolicy;
  /** Absent: a failed task is not retried. */
  retry?: RetryPolicy;
  /** A task still running after this long is aborted (its signal fires) and counts as a Timeout error. */
  taskTimeoutMs?: number;
  /** A run still going after this long is cancelled (reason "ExecutionTimeout"). */
  executionTimeoutMs?: number;
  /** At most this many of the job's tasks at once, inside the scheduler's shared worker pool. */
  maxConcurrency?: number;
  rollout?: RolloutPolicy;
}

/**
 * A policy as given to createJob/updateJob: a field left out takes its default
 * (in updateJob: keeps its current value); `retry` or `rollout` given as null is removed.
 */
export type PolicySpec = Partial<Omit<Policy, "retry" | "rollout">> & {
  retry?: RetryPolicy | null;
  rollout?: RolloutPolicy | null;
};

/** A step as the scheduler keeps it: one task per target, each running `action` with `payload`. */
export interface Step {
  name: string;
  /** A name registered with defineAction. */
  action: string;
  targets: string[];
  /** Handed to the action as is (validated by its `validate`, when it has one). */
  payload?: unknown;
  mode: StepMode;
  /** When the step fails on every target, the run goes on with the next group instead of failing. */
  continueOnFailure: boolean;
}

/** A step as given to createJob: `name` defaults to "Step <n>" (1-based), `mode` to "Sequential", `continueOnFailure` to false. */
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

/** What createJob takes; `id` is generated when absent. */
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

/** What updateJob takes: the fields to change. */
export type JobPatch = Partial<Omit<JobSpec, "id">>;
