/**
 * The schedule builder's choices and the wire Schedule they stand for, both
 * ways (a job being edited opens with its own schedule in the builder).
 * The builder never asks for cron unless the operator picks it.
 */
import type { Schedule } from "../api/types.js";

export type Kind = "Once" | "Daily" | "Weekdays" | "DaysOfMonth" | "Cron" | "Manual";

export const KINDS: { kind: Kind; label: string }[] = [
  { kind: "Once", label: "Once" },
  { kind: "Daily", label: "Every day" },
  { kind: "Weekdays", label: "On days of the week" },
  { kind: "DaysOfMonth", label: "On days of the month" },
  { kind: "Manual", label: "Only by hand" },
  { kind: "Cron", label: "Cron (advanced)" },
];

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export interface BuilderState {
  kind: Kind;
  time: string;
  date: string;
  days: string[];
  /** "1".."31" and "L". */
  monthDays: string[];
  startDay: string;
  endDay: string;
  timeZone: string;
  cron: string;
}

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function initialState(): BuilderState {
  return {
    kind: "Weekdays",
    time: "22:00",
    date: "",
    days: WEEKDAYS.slice(0, 5),
    monthDays: ["1"],
    startDay: "",
    endDay: "",
    timeZone: browserZone(),
    cron: "0 6 * * 1-5",
  };
}

function period(state: BuilderState, days: Partial<{ DaysOfWeek: string[]; DaysOfMonth: string[] }>): Schedule["Period"] | undefined {
  const p = { ...(state.startDay ? { StartDay: state.startDay } : {}), ...(state.endDay ? { EndDay: state.endDay } : {}), ...days };
  return Object.keys(p).length > 0 ? p : undefined;
}

function withPeriod(base: Schedule, p: Schedule["Period"] | undefined): Schedule {
  return p ? { ...base, Period: p } : base;
}

export function toSchedule(state: BuilderState): Schedule {
  const zone = state.timeZone ? { TimeZone: state.timeZone } : {};
  switch (state.kind) {
    case "Once":
      return { Type: "Once", Time: state.time, ...(state.date ? { Date: state.date } : {}), ...zone };
    case "Daily":
      return withPeriod({ Type: "Continuous", Time: state.time, ...zone }, period(state, {}));
    case "Weekdays":
      return withPeriod({ Type: "Continuous", Time: state.time, ...zone }, period(state, { DaysOfWeek: WEEKDAYS.filter((d) => state.days.includes(d)) }));
    case "DaysOfMonth": {
      const order = (d: string) => (d === "L" ? 32 : Number(d));
      return withPeriod({ Type: "Continuous", Time: state.time, ...zone }, period(state, { DaysOfMonth: [...state.monthDays].sort((a, b) => order(a) - order(b)) }));
    }
    case "Cron":
      return { Type: "Cron", Cron: state.cron, ...zone };
    case "Manual":
      return { Type: "Manual" };
  }
}

function daysOfMonth(value: unknown): string[] {
  if (typeof value === "string") return value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (Array.isArray(value)) return value.map(String);
  return [];
}

export function fromSchedule(schedule: Schedule): BuilderState {
  const s = initialState();
  const time = schedule.Time?.slice(0, 5) ?? s.time;
  const timeZone = schedule.TimeZone ?? s.timeZone;
  switch (schedule.Type) {
    case "Once":
      return { ...s, kind: "Once", time, date: schedule.Date ?? "", timeZone };
    case "Cron":
      return { ...s, kind: "Cron", cron: schedule.Cron ?? s.cron, timeZone };
    case "Manual":
      return { ...s, kind: "Manual" };
    case "Continuous": {
      const p = schedule.Period ?? {};
      const range = { startDay: p.StartDay ?? "", endDay: p.EndDay ?? "" };
      const monthDays = daysOfMonth(p.DaysOfMonth);
      const days = p.DaysOfWeek ?? [];
      // A period with both filters has no builder form of its own: show the weekdays, keep the month days.
      if (days.length > 0) return { ...s, ...range, kind: "Weekdays", time, timeZone, days, monthDays: monthDays.length ? monthDays : s.monthDays };
      if (monthDays.length > 0) return { ...s, ...range, kind: "DaysOfMonth", time, timeZone, monthDays };
      return { ...s, ...range, kind: "Daily", time, timeZone };
    }
  }
}

/** Every IANA zone the browser knows, the operator's own and UTC first. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const all = intl.supportedValuesOf?.("timeZone") ?? [];
  const first = [browserZone(), "UTC"];
  return [...new Set([...first, ...all])];
}
