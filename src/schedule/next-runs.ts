import { cronRuns } from "./cron.js";
import { continuousRuns, onceRuns } from "./daily-runs.js";
import type { Schedule } from "./types.js";
import { resolveZone } from "./zone.js";

/** Where to start counting, and the zone for a schedule that names none. */
export interface NextRunsOptions {
  /** Runs strictly after this instant are returned. */
  after: Date;
  /** Zone used when the schedule names none; the host's zone when absent too. */
  timeZone?: string;
}

/**
 * The next `count` instants a schedule fires, strictly after `options.after`,
 * earliest first. Fewer (or none) when the schedule ends: a Once that has
 * passed, a Continuous past its endDay, a Manual schedule.
 */
export function nextRuns(schedule: Schedule, count: number, options: NextRunsOptions): Date[] {
  if (!Number.isFinite(count) || count < 1) return [];
  const n = Math.floor(count);
  switch (schedule.type) {
    case "Manual":
      return [];
    case "Once":
      return onceRuns(schedule, resolveZone(schedule.timeZone, options.timeZone), n, options.after);
    case "Continuous":
      return continuousRuns(schedule, resolveZone(schedule.timeZone, options.timeZone), n, options.after);
    case "Cron":
      return cronRuns(schedule.cron, resolveZone(schedule.timeZone, options.timeZone), n, options.after, schedule);
  }
}

/** The next instant, or null when none remains. */
export function nextRun(schedule: Schedule, options: NextRunsOptions): Date | null {
  return nextRuns(schedule, 1, options)[0] ?? null;
}
