/**
 * Which calendar days a Continuous schedule runs on: a weekday list and a
 * day-of-month list, a day matching either (as cron does when both are set).
 * No list at all means every day. A day a month lacks (31 in April) simply
 * never matches in that month; "L" is whichever day ends the month.
 */
import { daysInMonth, fromDayNumber, weekdayIndex } from "./civil-date.js";
import { WEEKDAYS, type Period } from "./types.js";

export type DayFilter = (day: number) => boolean;

export function dayFilter(period: Period | undefined): DayFilter {
  const weekdays = new Set((period?.daysOfWeek ?? []).map((w) => WEEKDAYS.indexOf(w)));
  const monthDays = new Set((period?.daysOfMonth ?? []).filter((d): d is number => d !== "L"));
  const lastDay = (period?.daysOfMonth ?? []).includes("L");

  if (weekdays.size === 0 && monthDays.size === 0 && !lastDay) return () => true;
  const needsCalendar = monthDays.size > 0 || lastDay;

  return (day) => {
    if (weekdays.has(weekdayIndex(day))) return true;
    if (!needsCalendar) return false;
    const date = fromDayNumber(day);
    if (monthDays.has(date.day)) return true;
    return lastDay && date.day === daysInMonth(date.year, date.month);
  };
}
