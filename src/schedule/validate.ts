/**
 * Checks an untrusted schedule (from a REST body, a config file, a caller) and
 * returns it normalised. Every problem found is reported, each at its own JSON
 * pointer, so an operator fixes a bad schedule in one round trip.
 */
import { ShoalError, pointer } from "../errors.js";
import { Problems, isObject, typeName, type Obj } from "../problems.js";
import { compileCron, cronFieldCount } from "./cron.js";
import { dayNumber, parseCivilDate } from "./civil-date.js";
import { fixedTimeInstant } from "./fixed-time.js";
import { parseTimeOfDay, secondsOfDay } from "./time-of-day.js";
import { SCHEDULE_TYPES, WEEKDAYS, type DayOfMonth, type Period, type Schedule, type Weekday } from "./types.js";
import { isValidZone, resolveZone } from "./zone.js";

/** Only needed to judge whether a Once date is already past. */
export interface ValidateScheduleOptions {
  /** "Now" for deciding whether a Once date has already passed. */
  now?: Date;
  /** Zone used when the schedule names none (for that same check). */
  timeZone?: string;
}

const ALLOWED: Record<Schedule["type"], readonly string[]> = {
  Once: ["type", "time", "date", "timeZone"],
  Continuous: ["type", "time", "timeZone", "period"],
  Cron: ["type", "cron", "timeZone"],
  Manual: ["type"],
};
const PERIOD_KEYS = ["startDay", "endDay", "daysOfWeek", "daysOfMonth"];

/**
 * Checks untrusted input and returns the normalised schedule, or throws a
 * ShoalError "ValidationError" with one detail per problem ("/period/daysOfMonth/2").
 */
export function validateSchedule(input: unknown, options: ValidateScheduleOptions = {}): Schedule {
  const p = new Problems();
  if (!isObject(input)) {
    p.add("", "type", `must be an object, not ${typeName(input)}`);
    throw ShoalError.validation(p.list, "schedule");
  }
  const type = input.type;
  if (type === undefined) {
    p.add("/type", "missing", `is required (one of ${SCHEDULE_TYPES.join(", ")})`);
    throw ShoalError.validation(p.list, "schedule");
  }
  if (typeof type !== "string" || !(SCHEDULE_TYPES as readonly string[]).includes(type)) {
    p.add("/type", "notInList", `must be one of ${SCHEDULE_TYPES.join(", ")}`, type);
    throw ShoalError.validation(p.list, "schedule");
  }
  const kind = type as Schedule["type"];
  p.unknownKeys(input, ALLOWED[kind], "");

  let schedule: Schedule | undefined;
  switch (kind) {
    case "Manual":
      schedule = { type: "Manual" };
      break;
    case "Cron":
      schedule = validateCron(input, p);
      break;
    case "Once":
      schedule = validateOnce(input, p, options);
      break;
    case "Continuous":
      schedule = validateContinuous(input, p);
      break;
  }
  if (p.list.length > 0 || !schedule) throw ShoalError.validation(p.list, "schedule");
  return schedule;
}

function validateZone(input: Obj, p: Problems): string | undefined {
  const zone = p.string(input, "timeZone", "", false);
  if (zone !== undefined && !isValidZone(zone)) {
    p.add("/timeZone", "notInList", `"${zone}" is not a known IANA time zone`, zone);
    return undefined;
  }
  return zone;
}

function validateTime(input: Obj, p: Problems): string | undefined {
  const time = p.string(input, "time", "", true);
  if (time !== undefined && !parseTimeOfDay(time)) {
    p.add("/time", "format", `"${time}" is not a time of day as HH:MM or HH:MM:SS (00:00 to 23:59:59)`, time);
    return undefined;
  }
  return time;
}

function validateDate(input: Obj, key: string, base: string, p: Problems, required = false): string | undefined {
  const text = p.string(input, key, base, required);
  if (text !== undefined && !parseCivilDate(text)) {
    p.add(base + pointer(key), "format", `"${text}" is not a real calendar date as YYYY-MM-DD`, text);
    return undefined;
  }
  return text;
}

function validateCron(input: Obj, p: Problems): Schedule | undefined {
  const zone = validateZone(input, p);
  const pattern = p.string(input, "cron", "", true);
  if (pattern === undefined) return undefined;
  const fields = cronFieldCount(pattern);
  if (!pattern.trim().startsWith("@") && fields !== 5 && fields !== 6) {
    p.add("/cron", "format", `has ${fields} fields; a cron pattern has 5 (minute first) or 6 (second first)`, pattern);
    return undefined;
  }
  try {
    compileCron(pattern.trim(), zone ?? "UTC");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    p.add("/cron", "format", `"${pattern}" is not a valid cron pattern: ${reason}`, pattern);
    return undefined;
  }
  return zone === undefined ? { type: "Cron", cron: pattern.trim() } : { type: "Cron", cron: pattern.trim(), timeZone: zone };
}

function validateOnce(input: Obj, p: Problems, options: ValidateScheduleOptions): Schedule | undefined {
  const zone = validateZone(input, p);
  const time = validateTime(input, p);
  const date = validateDate(input, "date", "", p);
  if (time === undefined || (input.timeZone !== undefined && zone === undefined)) return undefined;
  if (date !== undefined) {
    const day = parseCivilDate(date);
    const t = parseTimeOfDay(time);
    if (day && t) {
      const when = fixedTimeInstant(resolveZone(zone, options.timeZone), dayNumber(day), secondsOfDay(t));
      const now = (options.now ?? new Date()).getTime();
      if (when <= now) {
        p.add("/date", "outOfRange", `${date} ${time} has already passed; a Once schedule must lie in the future`, date);
        return undefined;
      }
    }
  }
  const schedule: Schedule = { type: "Once", time };
  if (date !== undefined) schedule.date = date;
  if (zone !== undefined) schedule.timeZone = zone;
  return schedule;
}

function validateContinuous(input: Obj, p: Problems): Schedule | undefined {
  const zone = validateZone(input, p);
  const time = validateTime(input, p);
  const period = validatePeriod(input.period, p);
  if (time === undefined) return undefined;
  const schedule: Schedule = { type: "Continuous", time };
  if (zone !== undefined) schedule.timeZone = zone;
  if (period !== undefined) schedule.period = period;
  return schedule;
}

function validatePeriod(raw: unknown, p: Problems): Period | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) {
    p.add("/period", "type", `must be an object, not ${typeName(raw)}`);
    return undefined;
  }
  p.unknownKeys(raw, PERIOD_KEYS, "/period");
  const period: Period = {};
  const startDay = validateDate(raw, "startDay", "/period", p);
  const endDay = validateDate(raw, "endDay", "/period", p);
  if (startDay !== undefined) period.startDay = startDay;
  if (endDay !== undefined) period.endDay = endDay;
  if (startDay !== undefined && endDay !== undefined && startDay > endDay) {
    p.add("/period/endDay", "outOfRange", `${endDay} is before startDay ${startDay}`, endDay);
  }

  const weekdays = validateList(raw, "daysOfWeek", p, (value, path) => {
    if (typeof value === "string" && (WEEKDAYS as readonly string[]).includes(value)) return value as Weekday;
    p.add(path, typeof value === "string" ? "notInList" : "type", `must be one of ${WEEKDAYS.join(", ")}`, value);
    return undefined;
  });
  if (weekdays && weekdays.length > 0) {
    period.daysOfWeek = WEEKDAYS.filter((w) => weekdays.includes(w));
  }

  const monthDays = validateList(raw, "daysOfMonth", p, (value, path): DayOfMonth | undefined => {
    if (value === "L") return "L";
    if (typeof value !== "number" || !Number.isInteger(value)) {
      p.add(path, "type", `must be a whole day number 1-31 or "L" (last day)`, value);
      return undefined;
    }
    if (value < 1 || value > 31) {
      p.add(path, "outOfRange", `${value} is not a day of the month (1-31, or "L")`, value);
      return undefined;
    }
    return value;
  });
  if (monthDays && monthDays.length > 0) {
    const numbers = [...new Set(monthDays.filter((d): d is number => d !== "L"))].sort((a, b) => a - b);
    period.daysOfMonth = monthDays.includes("L") ? [...numbers, "L"] : numbers;
  }
  return Object.keys(period).length > 0 ? period : undefined;
}

function validateList<T>(
  raw: Obj,
  key: string,
  p: Problems,
  item: (value: unknown, path: string) => T | undefined,
): T[] | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    p.add(pointer("period", key), "type", `must be an array, not ${typeName(value)}`, value);
    return undefined;
  }
  const out: T[] = [];
  value.forEach((v, i) => {
    const ok = item(v, pointer("period", key, i));
    if (ok !== undefined && !out.includes(ok)) out.push(ok);
  });
  return out;
}
