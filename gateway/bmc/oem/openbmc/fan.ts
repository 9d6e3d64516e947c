/**
 * OpenBMC's fan OEM block (`Oem.OpenBmc.Fan` on a manager, as bmcweb serves it):
 * reading what a BMC has, building PATCH bodies, and the guards that keep us
 * from triggering bmcweb's upsert. bmcweb treats a PATCH naming a controller or
 * zone it does not have as "create it", and `null` as "delete it"; a typo in a
 * job must never create a controller on 2 000 machines. So nothing is PATCHed
 * until the manager has been read and every name checked against it.
 */
import { BmcError, isRecord } from "../../errors.js";
import { FAN_COLLECTION_NAMES, FAN_COLLECTIONS, type FanCollection } from "./fan-collections.js";

/** What a manager's fan block says, reduced to what the guards need. */
export interface OpenBmcFanView {
  profile: string | undefined;
  /** `Profile@Redfish.AllowableValues`; undefined when the BMC does not list them. */
  allowableProfiles: string[] | undefined;
  members: Record<FanCollection, Set<string>>;
}

/** Member names in a bmcweb collection object: every key that is not an `@odata`/`@Redfish` annotation. */
function memberNames(block: unknown): Set<string> {
  if (!isRecord(block)) return new Set();
  return new Set(Object.keys(block).filter((k) => !k.includes("@")));
}

/** A manager document's `Oem.OpenBmc.Fan` object; undefined when it has none. */
export function fanBlock(manager: Record<string, unknown>): Record<string, unknown> | undefined {
  const oem = manager.Oem;
  const openBmc = isRecord(oem) ? oem.OpenBmc : undefined;
  const fan = isRecord(openBmc) ? openBmc.Fan : undefined;
  return isRecord(fan) ? fan : undefined;
}

/** Reads `Oem.OpenBmc.Fan` from a manager document; undefined when the manager has none. */
export function readOpenBmcFan(manager: Record<string, unknown>): OpenBmcFanView | undefined {
  const fan = fanBlock(manager);
  if (!fan) return undefined;
  const allowable = fan["Profile@Redfish.AllowableValues"];
  const members = Object.fromEntries(FAN_COLLECTION_NAMES.map((c) => [c, memberNames(fan[c])])) as Record<FanCollection, Set<string>>;
  return {
    profile: typeof fan.Profile === "string" ? fan.Profile : undefined,
    allowableProfiles: Array.isArray(allowable) ? allowable.filter((v): v is string => typeof v === "string") : undefined,
    members,
  };
}

function wrap(fan: Record<string, unknown>): { Oem: { OpenBmc: { Fan: Record<string, unknown> } } } {
  return { Oem: { OpenBmc: { Fan: fan } } };
}

export function profileBody(profile: string): { Oem: { OpenBmc: { Fan: Record<string, unknown> } } } {
  return wrap({ Profile: profile });
}

/** `{"Oem":{"OpenBmc":{"Fan":{"<collection>":{"<id>":{...}}}}}}`. */
export function fanMemberBody(collection: FanCollection, id: string, properties: Record<string, unknown>): { Oem: { OpenBmc: { Fan: Record<string, unknown> } } } {
  return wrap({ [collection]: { [id]: properties } });
}

/** The `@odata.id` bmcweb uses to point a controller at a zone. */
export function zoneReference(managerId: string, zoneId: string): string {
  return `/redfish/v1/Managers/${managerId}#/Oem/OpenBmc/Fan/FanZones/${zoneId}`;
}

/** Parses a zone reference; undefined when it is not one. */
export function parseZoneReference(ref: string): { managerId: string; zoneId: string } | undefined {
  const m = /^\/redfish\/v1\/Managers\/([^/#]+)#\/Oem\/OpenBmc\/Fan\/FanZones\/([^/]+)$/.exec(ref);
  return m ? { managerId: m[1]!, zoneId: m[2]! } : undefined;
}

function refuse(machineId: string, type: "ResourceNotFound" | "PropertyValueNotInList", message: string, allowed: string[]): BmcError {
  return new BmcError({ type, transient: false, machineId, message, detail: { allowed } });
}

/** The manager's fan view, or a ResourceNotFound refusal when it has no OpenBMC fan block. */
export function requireFan(machineId: string, managerId: string, manager: Record<string, unknown>): OpenBmcFanView {
  const view = readOpenBmcFan(manager);
  if (!view) {
    throw refuse(machineId, "ResourceNotFound", `Manager ${managerId} on machine ${machineId} has no Oem/OpenBmc/Fan resource; nothing was sent`, []);
  }
  return view;
}

/** Refuses a profile the BMC does not list in `Profile@Redfish.AllowableValues` (or when it lists none). */
export function assertProfileAllowed(machineId: string, managerId: string, view: OpenBmcFanView, profile: string): void {
  const allowed = view.allowableProfiles ?? [];
  if (!allowed.includes(profile)) {
    throw refuse(
      machineId,
      "PropertyValueNotInList",
      `Profile '${profile}' is not allowed by manager ${managerId} on machine ${machineId}` +
        (allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : " (it lists no allowable profiles)") +
        "; nothing was sent",
      allowed,
    );
  }
}

/**
 * Refuses a controller or zone name the BMC does not have: bmcweb would create
 * it. Also refuses `Zones` references to zones the BMC does not have.
 */
export function assertFanMemberExists(
  machineId: string,
  managerId: string,
  view: OpenBmcFanView,
  collection: FanCollection,
  id: string,
  properties: Record<string, unknown>,
): void {
  const existing = view.members[collection];
  if (!existing.has(id)) {
    throw refuse(
      machineId,
      "ResourceNotFound",
      `${FAN_COLLECTIONS[collection].label} '${id}' does not exist on manager ${managerId} of machine ${machineId}; ` +
        "refusing to PATCH it (OpenBMC would create it); nothing was sent",
      [...existing].sort(),
    );
  }
  const zones = properties.Zones;
  if (!Array.isArray(zones)) return;
  for (const zone of zones) {
    const ref = isRecord(zone) ? zone["@odata.id"] : undefined;
    const parsed = typeof ref === "string" ? parseZoneReference(ref) : undefined;
    if (!parsed || parsed.managerId !== managerId || !view.members.FanZones.has(parsed.zoneId)) {
      throw refuse(
        machineId,
        "ResourceNotFound",
        `Zone reference ${JSON.stringify(ref)} in ${FAN_COLLECTIONS[collection].label} '${id}' is not a fan zone of manager ${managerId} ` +
          `on machine ${machineId}; nothing was sent`,
        [...view.members.FanZones].sort().map((z) => zoneReference(managerId, z)),
      );
    }
  }
}
