/** Renders a schedule as the sentence an operator would say aloud. */
import cronstrue from "cronstrue";
import { formatTimeOfDay, parseTimeOfDay } from "./time-of-day.js";
import { WEEKDAYS, type Period, type Schedule } from "./types.js";

/** The zone for a schedule that names none. */
export interface DescribeOptions {
  /** Zone used when the schedule names none; shown in the sentence when known. */
  timeZone?: string;
}

/** "a", "a and b", "a, b and c". */
function joinList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function timeText(time: string): string {
  const t = parseTimeOfDay(time);
  return t ? formatTimeOfDay(t) : time;
}

function monthDaysText(days: (number | "L")[]): string {
  const numbers = days.filter((d): d is number => d !== "L").map(String);
  const parts: string[] = [];
  if (numbers.length === 1) parts.push(`day ${numbers[0]}`);
  else if (numbers.length > 1) parts.push(`days ${joinList(numbers)}`);
  if (days.includes("L")) parts.push("the last day");
  return `${parts.join(" and ")} of each month`;
}

const WORKDAYS = WEEKDAYS.slice(0, 5);
const WEEKEND = WEEKDAYS.slice(5);

function sameDays(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && b.every((d) => a.includes(d));
}

/** "Monday to Friday" reads better than five names; any other set is listed. */
function weekdaysText(weekdays: readonly string[]): string {
  if (sameDays(weekdays, WORKDAYS)) return "Monday to Friday";
  if (sameDays(weekdays, WEEKEND)) return "Saturday and Sunday";
  return joinList([...weekdays]);
}

function daysText(period: Period | undefined): string {
  const weekdays = period?.daysOfWeek ?? [];
  const monthDays = period?.daysOfMonth ?? [];
  const everyWeekday = WEEKDAYS.every((w) => weekdays.includes(w));
  if ((weekdays.length === 0 || everyWeekday) && monthDays.length === 0) return "every day";
  if (monthDays.length === 0) return `on ${weekdaysText(weekdays)}`;
  if (weekdays.length === 0) return `on ${monthDaysText(monthDays)}`;
  return `on ${weekdaysText(weekdays)}, and on ${monthDaysText(monthDays)}`;
}

function rangeText(period: Period | undefined): string {
  const { startDay, endDay } = period ?? {};
  if (startDay && endDay) return `, from ${startDay} to ${endDay}`;
  if (startDay) return `, from ${startDay}`;
  if (endDay) return `, until ${endDay}`;
  return "";
}

function cronText(pattern: string): string {
  try {
    return cronstrue.toString(pattern, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return `On cron pattern "${pattern}"`;
  }
}

/** "At 22:00 on Monday to Friday, from 2026-02-10 (Asia/Taipei)": the schedule as a sentence. */
export function describeSchedule(schedule: Schedule, options: DescribeOptions = {}): string {
  if (schedule.type === "Manual") return "Only when triggered";
  const zone = schedule.timeZone ?? options.timeZone;
  const zoneText = zone ? ` (${zone})` : "";
  switch (schedule.type) {
    case "Once": {
      const day = schedule.date ? ` on ${schedule.date}` : "";
      return `Once at ${timeText(schedule.time)}${day}${zoneText}`;
    }
    case "Continuous":
      return `At ${timeText(schedule.time)} ${daysText(schedule.period)}${rangeText(schedule.period)}${zoneText}`;
    case "Cron":
      return `${cronText(schedule.cron)}${zoneText}`;
  }
}
