import { IANAZone, SystemZone } from "luxon";
import { ShoalError } from "../errors.js";

const knownZones = new Set<string>();

/**
 * True for a name the platform's time-zone database knows ("Asia/Taipei", "UTC").
 * luxon builds an Intl formatter per check (~75 us); a name once found valid stays valid.
 */
export function isValidZone(name: string): boolean {
  if (knownZones.has(name)) return true;
  if (!IANAZone.isValidZone(name)) return false;
  knownZones.add(name);
  return true;
}

/**
 * The host's zone, as an IANA name. A TZ the platform does not know leaves
 * it with none (luxon's name is then undefined, and every offset NaN): that is
 * an error naming TZ here, not a zone that silently computes nothing.
 */
export function hostZone(): string {
  const name: unknown = SystemZone.instance.name;
  if (typeof name === "string" && isValidZone(name)) return name;
  const tz = process.env["TZ"];
  const setting = tz === undefined ? "TZ is not set" : `TZ is ${JSON.stringify(tz)}`;
  throw new ShoalError(
    "ValidationError",
    `The host has no usable time zone (${setting}): set TZ to an IANA zone such as UTC or Europe/Berlin, or name the zone explicitly`,
    [{ path: "/timeZone", kind: "notInList", message: `the host's time zone is not a known IANA zone (${setting})`, value: tz ?? null }],
  );
}

const zones = new Map<string, IANAZone>();

/** luxon zone objects are cheap to query but not free to create; keep one per name. */
export function zoneNamed(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = IANAZone.create(name);
    zones.set(name, zone);
  }
  return zone;
}

/** The schedule's own zone, else the caller's default, else the host's. */
export function resolveZone(own: string | undefined, fallback: string | undefined): string {
  const zone = own ?? fallback ?? hostZone();
  // An unknown zone has no offsets: every instant computed in it would be NaN.
  if (!isValidZone(zone)) throw new RangeError(`"${zone}" is not a known IANA time zone`);
  return zone;
}
