/**
 * Cron schedules are croner's: parsing, day stepping and daylight-saving
 * handling (fixed hour+minute patterns jump past a gap and run once on an
 * ambiguous hour; interval patterns follow real time) are all its own.
 */
import { Cron } from "croner";

const MAX_CACHED = 1000;

interface Compiled {
  cron: Cron;
  /**
   * The last single next run asked for: the first run strictly after `from`
   * is `next` (null: there is none). It is also the first run after any
   * instant in [from, next), so every job on the same pattern and zone that
   * fires at the same instant, a thousand at once in a burst, is answered
   * without croner stepping its calendar again (40-50 us each in a zone).
   */
  from: number;
  next: number | null;
}

const patterns = new Map<string, Compiled>();

function compiled(pattern: string, zone: string): Compiled {
  const key = `${zone}\u0000${pattern}`;
  let entry = patterns.get(key);
  if (!entry) {
    entry = { cron: new Cron(pattern, { timezone: zone, paused: true }), from: NaN, next: null };
    if (patterns.size >= MAX_CACHED) patterns.clear();
    patterns.set(key, entry);
  }
  return entry;
}

/** Parses a pattern once per (pattern, zone); throws croner's error for a bad pattern. */
export function compileCron(pattern: string, zone: string): Cron {
  return compiled(pattern, zone).cron;
}

export function cronRuns(pattern: string, zone: string, count: number, after: Date): Date[] {
  if (count < 1) return [];
  const entry = compiled(pattern, zone);
  if (count > 1) return entry.cron.nextRuns(count, after);
  const at = after.getTime();
  if (!(at >= entry.from && (entry.next === null || at < entry.next))) {
    const next = entry.cron.nextRuns(1, after)[0];
    entry.from = at;
    entry.next = next === undefined ? null : next.getTime();
  }
  return entry.next === null ? [] : [new Date(entry.next)];
}

/** Field count of a pattern; croner also takes nicknames such as "@daily". */
export function cronFieldCount(pattern: string): number {
  return pattern.trim().split(/\s+/).length;
}
