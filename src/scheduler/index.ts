export { Scheduler } from "./scheduler.js";
export type { SchedulerOptions, JobQuery, StopOptions } from "./scheduler.js";
export { ManualClock, systemClock, MAX_TIMER_DELAY_MS } from "./clock.js";
export type { Clock } from "./clock.js";
export type {
  ActionDefinition,
  ActionContext,
  ChangeReport,
  PlanContext,
  PlanOutcome,
  PlanResult,
  PlannedChange,
  RevertContext,
} from "./actions.js";
export type { JobPlan, PlanOptions, TargetPlan } from "./plan.js";
export { countOutcomes } from "./plan.js";
export { ROLLOUT_HALTED } from "./rollout.js";
export type { TargetLockStatus } from "./target-lock.js";
export type { Logger } from "./logger.js";
export { silentLogger } from "./logger.js";
export type { SchedulerEvents, SchedulerEventName, TaskFinishedEvent, TaskRetryingEvent } from "./events.js";
export type { JobStats } from "./stats.js";
export type { PoolStatus } from "./worker-pool.js";
