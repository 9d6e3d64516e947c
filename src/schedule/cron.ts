/**
 * Cron schedules are croner's: parsing, day stepping and daylight-saving
 * handling (fixed hour+minute patterns jump past a gap and run once on an
 * ambiguous hour; interval patterns follow real time) are all its own.
 */
import { Cron } from "croner";

const MAX_CACHED = 1000;
const patterns = new Map<string, Cron>();

/** Parses a pattern once per (pattern, zone); throws croner's error for a bad pattern. */
export function compileCron(pattern: string, zone: string): Cron {
  const key = `${zone}\u0000${pattern}`;
  let cron = patterns.get(key);
  if (!cron) {
    cron = new Cron(pattern, { timezone: zone, paused: true });
    if (patterns.size >= MAX_CACHED) patterns.clear();
    patterns.set(key, cron);
  }
  return cron;
}

export function cronRuns(pattern: string, zone: string, count: number, after: Date): Date[] {
  if (count < 1) return [];
  return compileCron(pattern, zone).nextRuns(count, after);
}

/** Field count of a pattern; croner also takes nicknames such as "@daily". */
export function cronFieldCount(pattern: string): number {
  return pattern.trim().split(/\s+/).length;
}
