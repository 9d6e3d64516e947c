/**
 * A schedule from plain flags instead of JSON or cron syntax:
 *   --at 22:00 --days Mon,Wed,Fri --days-of-month 1,15,L --from 2026-02-10 --to 2026-12-31 --tz Asia/Taipei
 * The flags become a core `Schedule` (checked by the library's validateSchedule,
 * its problems reported against the flag that caused them) and, for the
 * gateway, the PascalCase wire `Schedule` of docs/api.md.
 */
// The schedule module alone, not the whole core: the CLI starts faster without the scheduler and store.
import { ShoalError } from "../src/errors.js";
import { WEEKDAYS, validateSchedule, type DayOfMonth, type Period, type Schedule, type Weekday } from "../src/schedule/index.js";
import type { Args, OptionSpecs } from "./command.js";
import { usageError } from "./exit-codes.js";

export const SCHEDULE_OPTIONS: OptionSpecs = {
  at: { type: "string", value: "HH:MM", description: "time of day to run (HH:MM or HH:MM:SS); alone: every day" },
  days: { type: "string", value: "DAYS", description: "days of the week: Mon,Wed,Fri or Mon-Fri (full names work too)" },
  "days-of-month": { type: "string", value: "DAYS", description: "days of the month: 1,15,L (L = last day) or 1-7" },
  from: { type: "string", value: "DATE", description: "first day it may run (YYYY-MM-DD)" },
  to: { type: "string", value: "DATE", description: "last day it may run (YYYY-MM-DD)" },
  date: { type: "string", value: "DATE", description: "run once, at --at on this day (YYYY-MM-DD)" },
  once: { type: "boolean", description: "run once, at the next --at" },
  cron: { type: "string", value: "PATTERN", description: 'a cron pattern instead ("0 6 * * 1-5"; 6 fields = seconds first)' },
  manual: { type: "boolean", description: "run only when triggered" },
  tz: { type: "string", value: "ZONE", description: "IANA time zone (Asia/Taipei); default: the gateway's (preview: this host's)" },
};

export interface ScheduleFlags {
  at?: string | undefined;
  days?: string | undefined;
  daysOfMonth?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  date?: string | undefined;
  once?: boolean;
  cron?: string | undefined;
  manual?: boolean;
  tz?: string | undefined;
}

export function scheduleFlags(args: Args): ScheduleFlags {
  return {
    at: args.string("at"),
    days: args.string("days"),
    daysOfMonth: args.string("days-of-month"),
    from: args.string("from"),
    to: args.string("to"),
    date: args.string("date"),
    once: args.flag("once"),
    cron: args.string("cron"),
    manual: args.flag("manual"),
    tz: args.string("tz"),
  };
}

export function hasScheduleFlags(flags: ScheduleFlags): boolean {
  return Object.values(flags).some((v) => v !== undefined && v !== false);
}

const SHORT_DAYS = WEEKDAYS.map((d) => d.slice(0, 3).toLowerCase());

function weekdayOf(word: string): number | undefined {
  const w = word.trim().toLowerCase();
  const index = WEEKDAYS.findIndex((d, i) => d.toLowerCase() === w || SHORT_DAYS[i] === w);
  return index >= 0 ? index : undefined;
}

/** "Mon,Wed,Fri", "mon-fri", "Friday-Monday" (wraps), in week order, without repeats. */
export function parseDaysOfWeek(text: string): Weekday[] {
  const chosen = new Set<number>();
  for (const part of text.split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const [from, to, extra] = item.split("-");
    const a = weekdayOf(from ?? "");
    const b = to === undefined ? a : weekdayOf(to);
    if (a === undefined || b === undefined || extra !== undefined) {
      throw usageError(`--days: "${item}" is not a day or range of days (Mon..Sun, Monday..Sunday, Mon-Fri)`);
    }
    for (let i = a; ; i = (i + 1) % 7) {
      chosen.add(i);
      if (i === b) break;
    }
  }
  if (chosen.size === 0) throw usageError("--days: name at least one day (Mon,Wed,Fri)");
  return WEEKDAYS.filter((_, i) => chosen.has(i));
}

/** "1,15,L", "1-7"; the numbers' range (1-31) is checked by validateSchedule. */
export function parseDaysOfMonth(text: string): DayOfMonth[] {
  const days: DayOfMonth[] = [];
  for (const part of text.split(",")) {
    const item = part.trim();
    if (item === "") continue;
    if (item.toUpperCase() === "L") {
      days.push("L");
      continue;
    }
    const range = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(item);
    if (!range) throw usageError(`--days-of-month: "${item}" is not a day of the month (1-31, L, or a range like 1-7)`);
    const a = Number(range[1]);
    const b = range[2] === undefined ? a : Number(range[2]);
    if (b < a) throw usageError(`--days-of-month: "${item}" runs backwards`);
    for (let d = a; d <= b; d++) days.push(d);
  }
  if (days.length === 0) throw usageError("--days-of-month: name at least one day (1,15,L)");
  return days;
}

/** Which flag a core validation pointer ("/period/daysOfMonth/2") came from. */
function flagFor(path: string): string {
  if (path.startsWith("/period/daysOfWeek")) return "--days";
  if (path.startsWith("/period/daysOfMonth")) return "--days-of-month";
  if (path.startsWith("/period/startDay")) return "--from";
  if (path.startsWith("/period/endDay")) return "--to";
  if (path.startsWith("/time") && !path.startsWith("/timeZone")) return "--at";
  if (path.startsWith("/timeZone")) return "--tz";
  if (path.startsWith("/date")) return "--date";
  if (path.startsWith("/cron")) return "--cron";
  return "schedule";
}

function only(flags: ScheduleFlags, kind: string, allowed: (keyof ScheduleFlags)[]): void {
  const names: Record<keyof ScheduleFlags, string> = {
    at: "--at",
    days: "--days",
    daysOfMonth: "--days-of-month",
    from: "--from",
    to: "--to",
    date: "--date",
    once: "--once",
    cron: "--cron",
    manual: "--manual",
    tz: "--tz",
  };
  const extra = (Object.keys(names) as (keyof ScheduleFlags)[]).filter(
    (k) => !allowed.includes(k) && flags[k] !== undefined && flags[k] !== false,
  );
  if (extra.length > 0) throw usageError(`${extra.map((k) => names[k]).join(", ")} cannot be used with ${kind}`);
}

/**
 * The core schedule the flags describe, validated. Throws a usage error
 * naming the flag for every problem.
 */
export function buildSchedule(flags: ScheduleFlags, options: { now?: Date } = {}): Schedule {
  let input: Record<string, unknown>;
  if (flags.manual) {
    only(flags, "--manual", ["manual"]);
    input = { type: "Manual" };
  } else if (flags.cron !== undefined) {
    only(flags, "--cron", ["cron", "tz"]);
    input = { type: "Cron", cron: flags.cron };
  } else if (flags.date !== undefined || flags.once) {
    only(flags, flags.date !== undefined ? "--date" : "--once", ["at", "date", "once", "tz"]);
    if (flags.at === undefined) throw usageError(`--at is required with ${flags.date !== undefined ? "--date" : "--once"}`);
    input = { type: "Once", time: flags.at };
    if (flags.date !== undefined) input.date = flags.date;
  } else if (flags.at !== undefined) {
    input = { type: "Continuous", time: flags.at };
    const period: Record<string, unknown> = {};
    if (flags.from !== undefined) period.startDay = flags.from;
    if (flags.to !== undefined) period.endDay = flags.to;
    if (flags.days !== undefined) period.daysOfWeek = parseDaysOfWeek(flags.days);
    if (flags.daysOfMonth !== undefined) period.daysOfMonth = parseDaysOfMonth(flags.daysOfMonth);
    if (Object.keys(period).length > 0) input.period = period;
  } else if (hasScheduleFlags(flags)) {
    throw usageError("--at HH:MM is required (or --cron PATTERN, or --manual)");
  } else {
    throw usageError("say when: --at HH:MM [--days ...], --at HH:MM --date YYYY-MM-DD, --cron PATTERN or --manual");
  }
  if (flags.tz !== undefined && input.type !== "Manual") input.timeZone = flags.tz;
  try {
    return validateSchedule(input, options.now ? { now: options.now } : {});
  } catch (error) {
    if (error instanceof ShoalError) {
      const lines = error.details.map((d) => `${flagFor(d.path)}: ${d.message}`);
      throw usageError(...(lines.length > 0 ? lines : [error.message]));
    }
    throw error;
  }
}

/** "22:00" -> "22:00:00", the form MultiFish's job bodies use. */
function fullTime(time: string): string {
  return /^\d{2}:\d{2}$/.test(time) ? `${time}:00` : time;
}

export interface WirePeriod {
  StartDay?: string;
  EndDay?: string;
  DaysOfWeek?: Weekday[];
  DaysOfMonth?: DayOfMonth[];
}

export interface WireSchedule {
  Type: Schedule["type"];
  Time?: string;
  Date?: string;
  Cron?: string;
  TimeZone?: string;
  Period?: WirePeriod;
}

function wirePeriod(period: Period): WirePeriod {
  const wire: WirePeriod = {};
  if (period.startDay !== undefined) wire.StartDay = period.startDay;
  if (period.endDay !== undefined) wire.EndDay = period.endDay;
  if (period.daysOfWeek !== undefined) wire.DaysOfWeek = [...period.daysOfWeek];
  if (period.daysOfMonth !== undefined) wire.DaysOfMonth = [...period.daysOfMonth];
  return wire;
}

/** The wire `Schedule` (docs/api.md) for a core schedule. */
export function toWireSchedule(schedule: Schedule): WireSchedule {
  switch (schedule.type) {
    case "Manual":
      return { Type: "Manual" };
    case "Cron":
      return schedule.timeZone ? { Type: "Cron", Cron: schedule.cron, TimeZone: schedule.timeZone } : { Type: "Cron", Cron: schedule.cron };
    case "Once": {
      const wire: WireSchedule = { Type: "Once", Time: fullTime(schedule.time) };
      if (schedule.date !== undefined) wire.Date = schedule.date;
      if (schedule.timeZone !== undefined) wire.TimeZone = schedule.timeZone;
      return wire;
    }
    case "Continuous": {
      const wire: WireSchedule = { Type: "Continuous", Time: fullTime(schedule.time) };
      if (schedule.timeZone !== undefined) wire.TimeZone = schedule.timeZone;
      if (schedule.period !== undefined) wire.Period = wirePeriod(schedule.period);
      return wire;
    }
  }
}
