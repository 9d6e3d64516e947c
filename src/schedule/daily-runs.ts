/**
 * Next instants of the fixed-time schedules (Once and Continuous).
 *
 * A Continuous schedule is the cron pattern "S M H <days of month> * <weekdays>"
 * between two instants, and croner computes it: it already reads a day-of-month
 * list and a weekday list as "either" (as cron does), knows "L", skips a day a
 * month lacks, and applies the same daylight-saving rule Shoal promises for
 * fixed times (a time in a spring-forward gap runs at the end of the gap; one
 * that happens twice runs once, at the first). A hand-written calendar walk
 * did the same here until the bench (bench/schedule.mjs: 0.99x croner's speed
 * for one run) showed it was neither faster nor needed. Once keeps its own
 * few lines: it is one wall time on one day, resolved by fixed-time.ts.
 */
import { DateTime } from "luxon";
import { dayNumber, parseCivilDate } from "./civil-date.js";
import { cronRuns } from "./cron.js";
import { fixedTimeInstant } from "./fixed-time.js";
import { parseTimeOfDay, secondsOfDay, type TimeOfDay } from "./time-of-day.js";
import { WEEKDAYS, type ContinuousSchedule, type OnceSchedule, type Period } from "./types.js";

function localDay(instant: Date, zone: string): number {
  const local = DateTime.fromMillis(instant.getTime(), { zone });
  return dayNumber({ year: local.year, month: local.month, day: local.day });
}

function timeOf(text: string): TimeOfDay {
  const t = parseTimeOfDay(text);
  if (!t) throw new RangeError(`invalid time of day "${text}"`);
  return t;
}

function civilDay(text: string): number {
  const d = parseCivilDate(text);
  if (!d) throw new RangeError(`invalid date "${text}"`);
  return dayNumber(d);
}

/** The cron pattern (seconds first) that fires at `time` on the days `period` selects. */
export function continuousPattern(time: TimeOfDay, period: Period | undefined): string {
  const monthDays = period?.daysOfMonth?.length ? period.daysOfMonth.join(",") : "*";
  // Cron counts weekdays from Sunday = 0; WEEKDAYS starts on Monday.
  const weekdays = period?.daysOfWeek?.length ? period.daysOfWeek.map((w) => (WEEKDAYS.indexOf(w) + 1) % 7).join(",") : "*";
  return `${time.second} ${time.minute} ${time.hour} ${monthDays} * ${weekdays}`;
}

export function continuousRuns(schedule: ContinuousSchedule, zone: string, count: number, after: Date): Date[] {
  const period = schedule.period;
  // startDay and endDay are whole local days: from the first's midnight to the midnight after the last.
  const from = period?.startDay ? fixedTimeInstant(zone, civilDay(period.startDay), 0) - 1 : -Infinity;
  const until = period?.endDay ? fixedTimeInstant(zone, civilDay(period.endDay) + 1, 0) : Infinity;
  if (count < 1 || after.getTime() >= until) return [];
  const runs = cronRuns(continuousPattern(timeOf(schedule.time), period), zone, count, new Date(Math.max(after.getTime(), from)), schedule);
  return runs.filter((run) => run.getTime() < until);
}

export function onceRuns(schedule: OnceSchedule, zone: string, count: number, after: Date): Date[] {
  if (count < 1) return [];
  const seconds = secondsOfDay(timeOf(schedule.time));
  const afterMs = after.getTime();
  if (schedule.date !== undefined) {
    const instant = fixedTimeInstant(zone, civilDay(schedule.date), seconds);
    return instant > afterMs ? [new Date(instant)] : [];
  }
  // No date: the next time the clock reads `time` after `after`.
  const today = localDay(after, zone);
  const instant = fixedTimeInstant(zone, today, seconds);
  return [new Date(instant > afterMs ? instant : fixedTimeInstant(zone, today + 1, seconds))];
}
