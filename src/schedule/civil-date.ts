/**
 * Calendar days with no time zone attached, counted as days since 1970-01-01.
 * Time zones never enter here: turning a day and a time of day into an
 * instant is fixed-time.ts's job, done with luxon.
 */
import { DateTime } from "luxon";

const MS_PER_DAY = 86_400_000;

export interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses "YYYY-MM-DD"; undefined for a malformed or impossible date ("2026-02-30"). */
export function parseCivilDate(text: string): CivilDate | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return DateTime.utc(date.year, date.month, date.day).isValid ? date : undefined;
}

export function dayNumber(d: CivilDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY);
}
