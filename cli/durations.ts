/**
 * Durations as operators type them (`--since 2h`) and as result files hold
 * them (`"duration": "312ms"`, or Go's `1m2.5s` in files MultiFish wrote).
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)/y;

/**
 * "312ms", "1.5s", "1m2.5s", "2h", "1d12h" -> milliseconds; null when the text
 * is not a duration. A bare number counts as milliseconds.
 */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (s === "") return null;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  let total = 0;
  PART.lastIndex = 0;
  let matched = 0;
  while (PART.lastIndex < s.length) {
    const start = PART.lastIndex;
    const m = PART.exec(s);
    if (!m || m.index !== start) return null;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ""] ?? NaN);
    matched++;
  }
  return matched > 0 && Number.isFinite(total) ? total : null;
}

/**
 * `--since`: a duration back from now ("2h", "30m", "1d") or an instant
 * ("2026-02-10", "2026-02-10T22:00:00Z"). Null when it is neither.
 */
export function parseSince(text: string, now: Date): Date | null {
  const ms = parseDuration(text);
  if (ms !== null && !/^\d+(\.\d+)?$/.test(text.trim())) return new Date(now.getTime() - ms);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const date = new Date(text.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  return null;
}

/** 41 -> "41ms", 1234 -> "1.2s", 125000 -> "2m05s", 7_500_000 -> "2h05m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))}s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, "0")}s`;
  const totalMinutes = Math.round(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h${String(totalMinutes % 60).padStart(2, "0")}m`;
}

/** Milliseconds between two RFC 3339 instants, or null when either is missing or unreadable. */
export function elapsed(start: unknown, end: unknown): number | null {
  if (typeof start !== "string" || typeof end !== "string") return null;
  const a = Date.parse(start);
  const b = Date.parse(end);
  return Number.isNaN(a) || Number.isNaN(b) ? null : b - a;
}
