/** How times and durations read in the console: the browser's own zone and locale, 24-hour clock. */

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** A preview run time in the schedule's own zone (what the operator typed), with its offset. */
export function formatInZone(iso: string, timeZone: string | undefined): string {
  const d = new Date(iso);
  try {
    return new Intl.DateTimeFormat(undefined, {
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "shortOffset",
      ...(timeZone ? { timeZone } : {}),
    }).format(d);
  } catch {
    return formatTime(iso);
  }
}

export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "";
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return "";
  const abs = Math.abs(ms);
  const unit = abs < 60_000 ? [Math.round(ms / 1000), "second"] : abs < 3_600_000 ? [Math.round(ms / 60_000), "minute"] : abs < 86_400_000 ? [Math.round(ms / 3_600_000), "hour"] : [Math.round(ms / 86_400_000), "day"];
  return new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }).format(unit[0] as number, unit[1] as Intl.RelativeTimeFormatUnit);
}

export function durationMs(start: string | null | undefined, end: string | null | undefined): number | undefined {
  if (!start || !end) return undefined;
  const ms = new Date(end).getTime() - new Date(start).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}
