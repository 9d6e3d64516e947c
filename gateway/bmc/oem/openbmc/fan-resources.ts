/**
 * The OpenBMC fan block of a manager (`Oem.OpenBmc.Fan`, as bmcweb serves it)
 * cut into the resources the gateway serves: the profile, one collection per
 * kind of member, and each controller or zone on its own path. All of them are
 * views of one manager document read from the BMC; nothing is cached.
 */
import { rebaseLinks, type RebaseOptions } from "../../../live/rebase-links.js";
import { paths } from "../../../redfish/paths.js";
import { ODATA_TYPES, renderCollection, type Page } from "../../../redfish/render.js";
import { isRecord } from "../../errors.js";
import { fanBlock, zoneReference, type OpenBmcFanView } from "./fan.js";
import { FAN_COLLECTIONS, type FanCollection } from "./fan-collections.js";

/** Which machine and manager a fan resource belongs to. */
export interface FanScope {
  machineId: string;
  managerId: string;
}

function rebaseOptions(scope: FanScope): RebaseOptions {
  return { machineId: scope.machineId, openBmcFan: true };
}

/**
 * The members of one collection as the BMC sent them, by name. Names are the
 * keys that are not annotations, as in readOpenBmcFan.
 */
export function fanMembers(manager: Record<string, unknown>, collection: FanCollection): Map<string, Record<string, unknown>> {
  const block = fanBlock(manager)?.[collection];
  const members = new Map<string, Record<string, unknown>>();
  if (!isRecord(block)) return members;
  for (const [name, member] of Object.entries(block)) {
    if (!name.includes("@")) members.set(name, isRecord(member) ? member : {});
  }
  return members;
}

export function profileResource(scope: FanScope, view: OpenBmcFanView): Record<string, unknown> {
  return {
    "@odata.id": paths.fanProfile(scope.machineId, scope.managerId),
    "@odata.type": ODATA_TYPES.fanProfile,
    Id: "Profile",
    Name: "OpenBMC Fan Profile",
    Profile: view.profile ?? null,
    "Profile@Redfish.AllowableValues": view.allowableProfiles ?? [],
  };
}

export function collectionResource(
  scope: FanScope,
  collection: FanCollection,
  names: readonly string[],
  page: Page,
): Record<string, unknown> {
  const sorted = [...names].sort();
  return renderCollection({
    odataId: paths.fanCollection(scope.machineId, scope.managerId, collection),
    odataType: FAN_COLLECTIONS[collection].collectionType,
    name: FAN_COLLECTIONS[collection].collectionName,
    memberIds: sorted.slice(page.offset, page.offset + page.limit).map((n) => paths.fanMember(scope.machineId, scope.managerId, collection, n)),
    total: sorted.length,
    page,
  });
}

/** One controller or zone: the BMC's properties, links re-rooted, with `@odata.id`, `Id` and `Name` of its own. */
export function memberResource(scope: FanScope, collection: FanCollection, name: string, member: Record<string, unknown>): Record<string, unknown> {
  const { "@odata.id": _bmcId, "@odata.type": type, ...rest } = rebaseLinks(member, rebaseOptions(scope));
  return {
    "@odata.id": paths.fanMember(scope.machineId, scope.managerId, collection, name),
    "@odata.type": typeof type === "string" ? type : `#OemManager.${FAN_COLLECTIONS[collection].memberType}`,
    Id: name,
    Name: name,
    ...rest,
  };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * A PATCH body whose `Zones` links are in the form a GET of ours shows them
 * (`/MultiFish/v1/Platform/{machine}/Managers/{mgr}/Oem/OpenBmc/Fan/FanZones/{zone}`),
 * with those links turned back into what bmcweb takes
 * (`/redfish/v1/Managers/{mgr}#/Oem/OpenBmc/Fan/FanZones/{zone}`), so what was
 * read can be sent back. Links to another machine, or of any other form, are
 * left for the schema to refuse.
 */
export function zonesAsBmcReferences(body: Record<string, unknown>, machineId: string): Record<string, unknown> {
  const zones = body.Zones;
  if (!Array.isArray(zones)) return body;
  const prefix = `${paths.machine(machineId)}/Managers/`;
  const translated = zones.map((zone: unknown) => {
    const ref = isRecord(zone) ? zone["@odata.id"] : undefined;
    if (typeof ref !== "string" || !ref.startsWith(prefix)) return zone;
    const m = /^([^/]+)\/Oem\/OpenBmc\/Fan\/FanZones\/([^/]+)$/.exec(ref.slice(prefix.length));
    const managerId = m ? decode(m[1]!) : undefined;
    const zoneId = m ? decode(m[2]!) : undefined;
    if (managerId === undefined || zoneId === undefined) return zone;
    return { ...(zone as Record<string, unknown>), "@odata.id": zoneReference(managerId, zoneId) };
  });
  return { ...body, Zones: translated };
}
