/**
 * DSP0268 aggregation prefixing: a BMC's `/redfish/v1/Managers/bmc` is the
 * gateway's `/redfish/v1/Managers/{machine}_bmc`, and so for Systems and
 * Chassis. Every `@odata.id` (and action `target`) of a BMC's document that names a member of
 * those collections (or something under one) is rewritten so; the
 * collections themselves are the gateway's aggregated ones; links to
 * anything else stay as the BMC sent them.
 */
import type { MachineRecord, MachineRegistry } from "../platform/registry.js";
import { REDFISH_ROOT } from "./paths.js";

export const AGGREGATED_FAMILIES = ["Systems", "Managers", "Chassis"] as const;
export type AggregatedFamily = (typeof AGGREGATED_FAMILIES)[number];

const MAX_DEPTH = 64;

/** Properties whose string value is a URI of the BMC's: links, and the targets of actions. */
const LINK_KEYS: ReadonlySet<string> = new Set(["@odata.id", "target", "@odata.nextLink", "@Redfish.ActionInfo"]);
const BMC_LINK = /^\/redfish\/v1\/(Systems|Managers|Chassis)\/([^/#]+)([^#]*)(#.*)?$/;

export function aggregatedId(machineId: string, memberId: string): string {
  return `${machineId}_${memberId}`;
}

/**
 * "{machine}_{member}" -> the machine and the BMC's own member id. Machine
 * ids may hold "_" themselves, so the longest registered machine id that
 * prefixes the value wins.
 */
export function splitAggregatedId(registry: MachineRegistry, value: string): { machine: MachineRecord; memberId: string } | undefined {
  for (let i = value.lastIndexOf("_"); i > 0; i = value.lastIndexOf("_", i - 1)) {
    const machine = registry.get(value.slice(0, i));
    const memberId = value.slice(i + 1);
    if (machine && memberId !== "") return { machine, memberId };
  }
  return undefined;
}

export function rewriteLink(uri: string, machineId: string): string {
  const match = BMC_LINK.exec(uri);
  if (!match) return uri;
  const [, family, member, rest, fragment] = match;
  return `${REDFISH_ROOT}/${family}/${aggregatedId(machineId, member ?? "")}${rest ?? ""}${fragment ?? ""}`;
}

function rewriteValue(value: unknown, machineId: string, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => rewriteValue(v, machineId, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const copy = LINK_KEYS.has(key) && typeof v === "string" ? rewriteLink(v, machineId) : rewriteValue(v, machineId, depth + 1);
    // defineProperty, not assignment: a BMC's "__proto__" key must stay a plain property.
    Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A BMC document as the aggregator serves it: links prefixed, and the
 * top-level `Id` of a collection member prefixed too, so Id and URI agree.
 */
export function aggregateDocument(document: Record<string, unknown>, machineId: string, topLevelMember: boolean): Record<string, unknown> {
  const out = rewriteValue(document, machineId, 0) as Record<string, unknown>;
  if (topLevelMember && typeof out["Id"] === "string") out["Id"] = aggregatedId(machineId, out["Id"]);
  return out;
}
