/**
 * Next instants of the fixed-time schedules (Once and Continuous): walk the
 * calendar one day at a time from the day `after` falls on, in the schedule's
 * zone, and resolve each matching day's wall time to an instant.
 *
 * Stepping is integer arithmetic, and a matching day is met at least every
 * two months (every day-of-month value exists in some month), so the walk is
 * short; the zone lookups happen only on matching days.
 */
import { DateTime } from "luxon";
import { dayNumber, parseCivilDate } from "./civil-date.js";
import { dayFilter } from "./day-filter.js";
import { fixedTimeInstant } from "./fixed-time.js";
import { parseTimeOfDay, secondsOfDay } from "./time-of-day.js";
import type { ContinuousSchedule, OnceSchedule } from "./types.js";

/** A walk that meets no matching day for this long is over: the filter can never match again. */
const MAX_DAYS_WITHOUT_MATCH = 3 * 366;

function localDay(instant: Date, zone: string): number {
  const local = DateTime.fromMillis(instant.getTime(), { zone });
  return dayNumber({ year: local.year, month: local.month, day: local.day });
}

function timeSeconds(text: string): number {
  const t = parseTimeOfDay(text);
  if (!t) throw new RangeError(`invalid time of day "${text}"`);
  return secondsOfDay(t);
}

function civilDay(text: string): number {
  const d = parseCivilDate(text);
  if (!d) throw new RangeError(`invalid date "${text}"`);
  return dayNumber(d);
}

export function continuousRuns(schedule: ContinuousSchedule, zone: string, count: number, after: Date): Date[] {
  const seconds = timeSeconds(schedule.time);
  const matches = dayFilter(schedule.period);
  const first = schedule.period?.startDay ? civilDay(schedule.period.startDay) : -Infinity;
  const last = schedule.period?.endDay ? civilDay(schedule.period.endDay) : Infinity;
  const afterMs = after.getTime();

  const runs: Date[] = [];
  let day = Math.max(localDay(after, zone), first);
  let sinceMatch = 0;
  while (runs.length < count && day <= last && sinceMatch < MAX_DAYS_WITHOUT_MATCH) {
    if (matches(day)) {
      sinceMatch = 0;
      const instant = fixedTimeInstant(zone, day, seconds);
      if (instant > afterMs) runs.push(new Date(instant));
    } else {
      sinceMatch++;
    }
    day++;
  }
  return runs;
}

export function onceRuns(schedule: OnceSchedule, zone: string, count: number, after: Date): Date[] {
  if (count < 1) return [];
  const seconds = timeSeconds(schedule.time);
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
