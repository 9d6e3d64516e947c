export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

export type Weekday = (typeof WEEKDAYS)[number];

/** A day of the month, or "L" for the last day of whichever month it is. */
export type DayOfMonth = number | "L";

export interface Period {
  /** First day the schedule may run, "YYYY-MM-DD" in the schedule's zone, inclusive. */
  startDay?: string;
  /** Last day the schedule may run, inclusive. After it the schedule is expired. */
  endDay?: string;
  daysOfWeek?: Weekday[];
  daysOfMonth?: DayOfMonth[];
}

export interface OnceSchedule {
  type: "Once";
  /** "HH:MM" or "HH:MM:SS", wall-clock time in `timeZone`. */
  time: string;
  /** "YYYY-MM-DD"; without it, the next occurrence of `time`. */
  date?: string;
  timeZone?: string;
}

export interface ContinuousSchedule {
  type: "Continuous";
  time: string;
  timeZone?: string;
  period?: Period;
}

export interface CronSchedule {
  type: "Cron";
  /** 5 fields (minute first) or 6 (seconds first), as croner reads them. */
  cron: string;
  timeZone?: string;
}

export interface ManualSchedule {
  type: "Manual";
}

export type Schedule = OnceSchedule | ContinuousSchedule | CronSchedule | ManualSchedule;

export type ScheduleType = Schedule["type"];

export const SCHEDULE_TYPES: readonly ScheduleType[] = ["Once", "Continuous", "Cron", "Manual"];
