/**
 * Turns "this calendar day at this wall-clock time, in this zone" into one
 * instant, with Shoal's daylight-saving rules for fixed times:
 *  - a time that does not exist (spring forward) runs at the first instant
 *    after the gap;
 *  - a time that happens twice (fall back) runs once, at the first.
 * Offsets come from luxon's zone data; nothing here assumes a DST rule.
 */
import { zoneNamed } from "./zone.js";

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

export function fixedTimeInstant(zoneName: string, day: number, secondOfDay: number): number {
  const instant = wallTimeInstant(zoneName, day, secondOfDay);
  // NaN would compare false with everything, and a walk over days waiting for a later instant would never end.
  if (!Number.isFinite(instant)) throw new RangeError(`no instant for day ${day} at second ${secondOfDay} in zone "${zoneName}"`);
  return instant;
}

function wallTimeInstant(zoneName: string, day: number, secondOfDay: number): number {
  const zone = zoneNamed(zoneName);
  const offsetAt = (instant: number) => zone.offset(instant) * MS_PER_MINUTE;
  // The wall-clock reading, written as if it were UTC.
  const wall = day * MS_PER_DAY + secondOfDay * 1000;

  // Zones change offset at most once or twice a year, so the offsets a day
  // either side of the wall time are the only two that can apply to it.
  const before = offsetAt(wall - MS_PER_DAY);
  const after = offsetAt(wall + MS_PER_DAY);
  const fits = (offset: number) => offsetAt(wall - offset) === offset;

  if (before === after) {
    if (fits(before)) return wall - before;
  } else {
    // The earlier of the two readings comes first on a fall-back day: try the
    // offset that gives the smaller instant first.
    const [first, second] = before > after ? [before, after] : [after, before];
    if (fits(first)) return wall - first;
    if (fits(second)) return wall - second;
    return transitionInstant(offsetAt, wall - after, wall - before, after);
  }
  // A change of offset with the same offset on both sides (rare, e.g. a
  // one-day shift): fall back to luxon's own reading of the wall time.
  return wall - offsetAt(wall - before);
}

/**
 * The wall time fell in a gap: the first instant whose offset is already the
 * new one lies between `low` (old offset) and `high` (new offset).
 */
function transitionInstant(
  offsetAt: (instant: number) => number,
  low: number,
  high: number,
  newOffset: number,
): number {
  let lo = Math.min(low, high);
  let hi = Math.max(low, high);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (offsetAt(mid) === newOffset) hi = mid;
    else lo = mid;
  }
  // Transitions fall on whole seconds; report the first second of the new offset.
  return Math.ceil(hi / 1000) * 1000;
}
