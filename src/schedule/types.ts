/** The days of the week in schedule order, Monday first. */
export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

/** A day of the week by its English name. */
export type Weekday = (typeof WEEKDAYS)[number];

/** A day of the month, or "L" for the last day of whichever month it is. */
export type DayOfMonth = number | "L";

/** Which days a Continuous schedule runs on. No day filter means every day; weekdays and days of the month together mean a day matching either. */
export interface Period {
  /** First day the schedule may run, "YYYY-MM-DD" in the schedule's zone, inclusive. */
  startDay?: string;
  /** Last day the schedule may run, inclusive. After it the schedule is expired. */
  endDay?: string;
  /** Only these days of the week. */
  daysOfWeek?: Weekday[];
  /** Only these days of the month (1-31, "L"); a day a month lacks is skipped in that month. */
  daysOfMonth?: DayOfMonth[];
}

/** One run, at a wall-clock time. */
export interface OnceSchedule {
  type: "Once";
  /** "HH:MM" or "HH:MM:SS", wall-clock time in `timeZone`. */
  time: string;
  /** "YYYY-MM-DD"; without it, the next occurrence of `time`. */
  date?: string;
  /** An IANA zone; default the scheduler's. */
  timeZone?: string;
}

/** A run every matching day at a wall-clock time. */
export interface ContinuousSchedule {
  type: "Continuous";
  /** "HH:MM" or "HH:MM:SS" in `timeZone`. */
  time: string;
  /** An IANA zone; default the scheduler's. */
  timeZone?: string;
  /** Default: every day, from now on. */
  period?: Period;
}

/** Runs on a cron pattern. */
export interface CronSchedule {
  type: "Cron";
  /** 5 fields (minute first) or 6 (seconds first), as croner reads them. */
  cron: string;
  /** An IANA zone; default the scheduler's. */
  timeZone?: string;
}

/** Runs only when triggered. */
export interface ManualSchedule {
  type: "Manual";
}

/** When a job runs; `type` tells the kinds apart. */
export type Schedule = OnceSchedule | ContinuousSchedule | CronSchedule | ManualSchedule;

/** "Once", "Continuous", "Cron" or "Manual". */
export type ScheduleType = Schedule["type"];

/** Every ScheduleType. */
export const SCHEDULE_TYPES: readonly ScheduleType[] = ["Once", "Continuous", "Cron", "Manual"];
