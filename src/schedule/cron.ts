/**
 * Cron schedules are croner's: parsing, day stepping and daylight-saving
 * handling (fixed hour+minute patterns jump past a gap and run once on an
 * ambiguous hour; interval patterns follow real time) are all its own.
 */
import { Cron } from "croner";

/** Patterns remembered in the shared table before it starts afresh; the schedules using them keep theirs (see `bound`). */
const MAX_CACHED = 1000;

interface Compiled {
  readonly pattern: string;
  readonly zone: string;
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

/**
 * Each schedule keeps the pattern it compiled for as long as it lives. The
 * shared table alone is bounded (a caller may ask about any number of
 * patterns), and once more patterns were in use than it holds, every run
 * parsed its pattern again and the table was emptied every thousand: 2 000
 * jobs with patterns of their own cost 405 us of CPU per run, against 39 for
 * 500. Held by the schedule, a pattern is parsed once per job at most.
 */
const bound = new WeakMap<object, Compiled>();

function compiled(pattern: string, zone: string): Compiled {
  const key = `${zone}\u0000${pattern}`;
  let entry = patterns.get(key);
  if (!entry) {
    entry = { pattern, zone, cron: new Cron(pattern, { timezone: zone, paused: true }), from: NaN, next: null };
    if (patterns.size >= MAX_CACHED) patterns.clear();
    patterns.set(key, entry);
  }
  return entry;
}

/** The compiled pattern `owner` (a schedule) uses, found in the shared table on its first use. */
function compiledFor(owner: object | undefined, pattern: string, zone: string): Compiled {
  if (owner === undefined) return compiled(pattern, zone);
  const own = bound.get(owner);
  if (own !== undefined && own.pattern === pattern && own.zone === zone) return own;
  const entry = compiled(pattern, zone);
  bound.set(owner, entry);
  return entry;
}

/** Parses a pattern once per (pattern, zone); throws croner's error for a bad pattern. */
export function compileCron(pattern: string, zone: string): Cron {
  return compiled(pattern, zone).cron;
}

/** The next `count` runs of `pattern` in `zone` strictly after `after`; `owner`, the schedule asking, keeps the compiled pattern. */
export function cronRuns(pattern: string, zone: string, count: number, after: Date, owner?: object): Date[] {
  if (count < 1) return [];
  const entry = compiledFor(owner, pattern, zone);
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
