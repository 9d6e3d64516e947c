/**
 * Shoal's embeddable core: schedules, the scheduler that runs jobs made of
 * steps of registered actions, and the stores that keep them. Everything an
 * embedder needs is named here; nothing else in `src/` is public, so a name
 * added or removed below is a deliberate change to the API (the test
 * `test/public-api.test.ts` pins this list).
 *
 * @example
 * ```ts
 * import { Scheduler, FileStore } from "shoal";
 *
 * const scheduler = new Scheduler({ store: new FileStore({ path: "data/state.json" }) });
 * scheduler.defineAction("ping", { async run(ctx) { return { pinged: ctx.target }; } });
 * await scheduler.start();
 * await scheduler.createJob({ name: "ping", schedule: { type: "Cron", cron: "0 6 * * 1-5" }, steps: [{ action: "ping", targets: ["a", "b"] }] });
 * ```
 */

// Errors
export { ShoalError, isShoalError } from "./errors.js";
export type { ErrorCode, ErrorDetail, ProblemKind } from "./errors.js";

// Schedules
export { validateSchedule } from "./schedule/validate.js";
export type { ValidateScheduleOptions } from "./schedule/validate.js";
export { nextRuns, nextRun } from "./schedule/next-runs.js";
export type { NextRunsOptions } from "./schedule/next-runs.js";
export { describeSchedule } from "./schedule/describe.js";
export type { DescribeOptions } from "./schedule/describe.js";
export { isValidZone, hostZone } from "./schedule/zone.js";
export type {
  Schedule,
  ScheduleType,
  OnceSchedule,
  ContinuousSchedule,
  CronSchedule,
  ManualSchedule,
  Period,
  Weekday,
  DayOfMonth,
} from "./schedule/types.js";

// The scheduler
export { Scheduler } from "./scheduler/scheduler.js";
export type { SchedulerOptions, JobQuery, StopOptions } from "./scheduler/scheduler.js";
export type { ClusterHooks } from "./scheduler/cluster-hooks.js";
export type { ActionDefinition, ActionContext, AfterTaskContext } from "./scheduler/actions.js";
export type { SchedulerEvents, SchedulerEventName, TaskFinishedEvent } from "./scheduler/events.js";
export type { JobStats } from "./scheduler/stats.js";
export type { PoolStatus } from "./scheduler/worker-pool.js";
export type { Logger } from "./scheduler/logger.js";
export type { Clock } from "./scheduler/clock.js";
/** For tests of code built on the scheduler: a clock that moves only when told (`advance`, `set`). */
export { ManualClock } from "./scheduler/clock.js";

// Jobs and executions
export type {
  Job,
  JobSpec,
  JobPatch,
  Step,
  StepSpec,
  StepMode,
  Policy,
  PolicySpec,
  RetryPolicy,
  OverlapPolicy,
  MisfirePolicy,
} from "./jobs/types.js";
export type {
  Execution,
  ExecutionState,
  ExecutionTrigger,
  ExecutionReason,
  Health,
  StepState,
  StepResult,
  TargetStatus,
  TargetResult,
  TaskError,
} from "./executions/types.js";

// Stores
export type { Store, ExecutionQuery, Page, RetentionPolicy } from "./store/store.js";
export { MemoryStore } from "./store/memory-store.js";
export type { MemoryStoreOptions } from "./store/memory-store.js";
export { FileStore } from "./store/file-store.js";
export type { FileStoreOptions, FileStoreStats } from "./store/file-store.js";
