/** The options and per-call settings of a Scheduler's public methods, and the checks of the options. */
import { ShoalError } from "../errors.js";
import type { Job } from "../jobs/types.js";
import { isValidZone } from "../schedule/index.js";
import type { RetentionPolicy, Store } from "../store/store.js";
import type { Clock } from "./clock.js";
import type { ClusterHooks } from "./cluster-hooks.js";
import type { Logger } from "./logger.js";

/** Everything is optional: `new Scheduler()` runs in memory with 5 workers in the host's zone. */
export interface SchedulerOptions {
  /**
   * Where jobs and executions live; a MemoryStore when absent. Pass it unopened:
   * the scheduler opens it once, on start() or on the first createJob(). It
   * closes only the store it made itself; close yours after stop().
   */
  store?: Store;
  /** Concurrent tasks across all jobs, 1..10000; default 5. */
  workerPoolSize?: number;
  /** Zone for schedules that name none; default the host's. */
  timeZone?: string;
  /** The time source; a ManualClock in tests. Default: the system clock. */
  clock?: Clock;
  /** Execution history limits of the default MemoryStore (a given store has its own). */
  retention?: Partial<RetentionPolicy>;
  /** Where the scheduler and actions (ctx.log) write; default: nowhere. */
  logger?: Logger;
  /** Source of randomness for retry jitter. */
  random?: () => number;
  /** Set when several schedulers share one store: each due run starts once across them. */
  cluster?: ClusterHooks;
}

/** Filters and paging for listJobs. */
export interface JobQuery {
  /** Only enabled (or only paused) jobs. */
  enabled?: boolean;
  /** Jobs to skip, in creation order. */
  offset?: number;
  /** At most this many. */
  limit?: number;
}

/** Makes a change conditional on the job as it is when the change is applied. */
export interface JobWriteOptions {
  /**
   * Called with the job just before the change is made, after every earlier
   * change to the job has been saved; false refuses the change with
   * PreconditionFailed. A front end checks an ETag / If-Match here, so the
   * check and the write are one step and no concurrent update is lost.
   */
  precondition?: (current: Job) => boolean;
}

/** How stop() ends the runs in progress. */
export interface StopOptions {
  /** How long running executions may go on before they are cancelled; default 10 s. */
  graceMs?: number;
}

const MAX_POOL_SIZE = 10_000;

/** A pool size in range (1..10000), or a ShoalError ValidationError at /workerPoolSize. */
export function checkPoolSize(size: unknown): number {
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1 || size > MAX_POOL_SIZE) {
    throw ShoalError.validation(
      [{ path: "/workerPoolSize", kind: "outOfRange", message: `must be a whole number from 1 to ${MAX_POOL_SIZE}`, value: size }],
      "options",
    );
  }
  return size;
}

/** A known IANA zone, or a ShoalError ValidationError at /timeZone. */
export function checkTimeZone(zone: string): string {
  if (!isValidZone(zone)) {
    throw ShoalError.validation([{ path: "/timeZone", kind: "notInList", message: `"${zone}" is not a known IANA time zone`, value: zone }], "options");
  }
  return zone;
}
