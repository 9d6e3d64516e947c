import { IANAZone, SystemZone } from "luxon";

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

/** The host's zone, as an IANA name. */
export function hostZone(): string {
  return SystemZone.instance.name;
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
  return own ?? fallback ?? hostZone();
}
