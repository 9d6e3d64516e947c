/**
 * A BMC's document re-rooted under the gateway. Every `@odata.id` that names a
 * resource the gateway serves for the machine is rewritten from `/redfish/v1/...`
 * to `/MultiFish/v1/Platform/{machineId}/...`, so an operator can follow it;
 * every other property, and links to resources the gateway does not serve
 * (`/redfish/v1/Systems/system`, `/redfish/v1/Managers/bmc/EthernetInterfaces`...),
 * stay exactly as the BMC sent them.
 *
 * bmcweb names the OpenBMC fan controllers and zones with fragments of the
 * manager (`/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone_cpu`); the
 * gateway serves those as paths (`.../Managers/bmc/Oem/OpenBmc/Fan/FanZones/zone_cpu`).
 * Other fragments stay fragments, of our copy of the manager.
 */
import { paths } from "../redfish/paths.js";
import { FAN_COLLECTION_NAMES, type FanCollection } from "../bmc/oem/openbmc/fan-collections.js";

export interface RebaseOptions {
  machineId: string;
  /** Whether the gateway serves the OEM fan routes for this machine (its Type is Extend). */
  openBmcFan: boolean;
}

/** Deeper than any Redfish document; past it, values are copied without looking for links. */
const MAX_DEPTH = 64;

const REDFISH_RESOURCE = /^\/redfish\/v1\/(Systems|Managers)(?:\/([^/]+))?\/?$/;
const FAN_FRAGMENT = new RegExp(`^/Oem/OpenBmc/Fan/(${FAN_COLLECTION_NAMES.join("|")})(?:/([^/]+))?$`);

/** A JSON-pointer segment as the name it stands for ("a~1b" -> "a/b"). */
function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** One link, rewritten when it names something the gateway serves for the machine. */
export function rebaseLink(uri: string, options: RebaseOptions): string {
  const hash = uri.indexOf("#");
  const path = hash < 0 ? uri : uri.slice(0, hash);
  const fragment = hash < 0 ? undefined : uri.slice(hash + 1);
  const match = REDFISH_RESOURCE.exec(path);
  if (!match) return uri;
  const [, family, member] = match;
  const machine = paths.machine(options.machineId);
  if (family === "Systems") return member === undefined && fragment === undefined ? `${machine}/Systems` : uri;
  if (member === undefined) return fragment === undefined ? `${machine}/Managers` : uri;
  // The member segment is kept as the BMC encoded it: it is already a path segment.
  const manager = `${machine}/Managers/${member}`;
  if (fragment === undefined) return manager;
  const fan = options.openBmcFan ? FAN_FRAGMENT.exec(fragment) : null;
  if (fan) {
    const collection = fan[1] as FanCollection;
    const name = fan[2];
    return `${manager}/Oem/OpenBmc/Fan/${collection}` + (name === undefined ? "" : `/${encodeURIComponent(unescapePointer(name))}`);
  }
  return `${manager}#${fragment}`;
}

function rebaseValue(value: unknown, options: RebaseOptions, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => rebaseValue(v, options, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const copy = key === "@odata.id" && typeof v === "string" ? rebaseLink(v, options) : rebaseValue(v, options, depth + 1);
    // defineProperty, not assignment: a BMC's "__proto__" key must stay a plain property.
    Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A copy of `document` with its links re-rooted; the BMC's document is left as it was. */
export function rebaseLinks(document: Record<string, unknown>, options: RebaseOptions): Record<string, unknown> {
  return rebaseValue(document, options, 0) as Record<string, unknown>;
}
