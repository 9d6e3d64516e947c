/** How instants are shown: RFC 3339 for scripts, wall-clock in a zone for people. */
import { DateTime } from "luxon";

/** "2026-02-10T14:00:00Z": what the API's time fields look like, without milliseconds. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, "Z");
}

/** "Wed 2026-02-11 22:00 +08:00" in `zone`; seconds only when not zero. */
export function wallClock(date: Date, zone: string): string {
  const dt = DateTime.fromJSDate(date, { zone });
  return dt.toFormat(dt.second === 0 ? "ccc yyyy-MM-dd HH:mm ZZ" : "ccc yyyy-MM-dd HH:mm:ss ZZ");
}

/** A time field from the gateway, shortened for a table: "2026-02-10 22:00:01Z"; "-" when absent. */
export function shortTime(value: unknown): string {
  if (typeof value !== "string" || value === "") return "-";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return rfc3339(new Date(Math.floor(date.getTime() / 1000) * 1000)).replace("T", " ");
}
