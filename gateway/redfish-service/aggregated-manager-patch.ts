/**
 * A PATCH of an aggregated manager: standard Manager properties (as the
 * Platform manager PATCH takes them) and the OpenBMC fan settings under
 * `Oem.OpenBmc.Fan` (Profile, and named FanControllers, FanZones,
 * PidControllers), each checked against the same schemas as the Platform
 * fan routes. The guards of bmc/oem/openbmc/fan.ts run on the manager as
 * just read: a profile the BMC does not allow, or a controller or zone name
 * it does not have (bmcweb would create it), sends nothing.
 */
import type { RedfishResource } from "../bmc/client.js";
import type { FanCollection } from "../bmc/oem/openbmc/fan-collections.js";
import { assertFanMemberExists, assertProfileAllowed, requireFan } from "../bmc/oem/openbmc/fan.js";
import { isRecord } from "../bmc/errors.js";
import type { MachineRecord } from "../platform/registry.js";
import { RedfishError, type Problem } from "../redfish/errors.js";
import { BODY_SCHEMAS, type SchemaSet } from "../validation/schemas.js";
import { REDFISH_ROOT } from "./paths.js";

const MEMBER_SCHEMA: Readonly<Record<FanCollection, string>> = {
  FanControllers: BODY_SCHEMAS.fanControllerPatch,
  FanZones: BODY_SCHEMAS.fanZonePatch,
  PidControllers: BODY_SCHEMAS.pidControllerPatch,
};

export interface ManagerPatchPlan {
  standard: Record<string, unknown>;
  profile?: string;
  members: { collection: FanCollection; id: string; payload: Record<string, unknown> }[];
}

function unknown(pointer: string): Problem {
  return { key: "PropertyUnknown", args: [pointer.slice(2)], relatedProperties: [pointer] };
}

/** Zones links as the aggregator shows them (`/redfish/v1/Managers/{machine}_{mgr}#/...`) back to the BMC's own form. */
function zonesForBmc(payload: Record<string, unknown>, machineId: string): Record<string, unknown> {
  const zones = payload.Zones;
  if (!Array.isArray(zones)) return payload;
  const prefix = `${REDFISH_ROOT}/Managers/${machineId}_`;
  return {
    ...payload,
    Zones: zones.map((zone: unknown) => {
      const ref = isRecord(zone) ? zone["@odata.id"] : undefined;
      return typeof ref === "string" && ref.startsWith(prefix) ? { ...(zone as Record<string, unknown>), "@odata.id": `${REDFISH_ROOT}/Managers/${ref.slice(prefix.length)}` } : zone;
    }),
  };
}

/** Checks the body's shape (no BMC read yet); a 400 listing every problem when it is wrong. */
export function planManagerPatch(body: Record<string, unknown>, machine: MachineRecord, schemas: SchemaSet): ManagerPatchPlan {
  const { Oem, ...standard } = body;
  if (Object.keys(standard).length > 0) schemas.check(BODY_SCHEMAS.managerPatch, standard);
  const plan: ManagerPatchPlan = { standard, members: [] };
  if (Oem === undefined) return plan;
  const problems: Problem[] = [];
  const fan = isRecord(Oem) && isRecord(Oem.OpenBmc) ? Oem.OpenBmc.Fan : undefined;
  if (!isRecord(Oem)) throw RedfishError.badRequest([{ key: "PropertyValueTypeError", args: [JSON.stringify(Oem).slice(0, 100), "Oem"], relatedProperties: ["#/Oem"] }]);
  for (const key of Object.keys(Oem)) if (key !== "OpenBmc") problems.push(unknown(`#/Oem/${key}`));
  if (isRecord(Oem.OpenBmc)) for (const key of Object.keys(Oem.OpenBmc)) if (key !== "Fan") problems.push(unknown(`#/Oem/OpenBmc/${key}`));
  if (machine.type !== "Extend") {
    problems.push({
      key: "PropertyNotWritable",
      args: ["Oem/OpenBmc"],
      relatedProperties: ["#/Oem/OpenBmc"],
      resolution: `Machine '${machine.id}' is registered with Type ${machine.type} (a standard Redfish BMC), which has no OpenBMC fan settings; nothing was sent.`,
    });
  }
  if (!isRecord(fan)) {
    if (problems.length === 0) problems.push({ key: "PropertyMissing", args: ["Oem/OpenBmc/Fan"], relatedProperties: ["#/Oem/OpenBmc/Fan"] });
    throw RedfishError.badRequest(problems);
  }
  for (const [key, value] of Object.entries(fan)) {
    const pointer = `#/Oem/OpenBmc/Fan/${key}`;
    if (key === "Profile") {
      problems.push(...schemas.problems(BODY_SCHEMAS.fanProfilePatch, { Profile: value }, { prefix: "#/Oem/OpenBmc/Fan" }));
      if (typeof value === "string") plan.profile = value;
    } else if (key === "FanControllers" || key === "FanZones" || key === "PidControllers") {
      if (!isRecord(value)) {
        problems.push({ key: "PropertyValueTypeError", args: [JSON.stringify(value).slice(0, 100), pointer.slice(2)], relatedProperties: [pointer] });
        continue;
      }
      for (const [id, given] of Object.entries(value)) {
        const payload = isRecord(given) ? zonesForBmc(given, machine.id) : given;
        problems.push(...schemas.problems(MEMBER_SCHEMA[key], payload, { prefix: `${pointer}/${id.replace(/~/g, "~0").replace(/\//g, "~1")}` }));
        if (isRecord(payload)) plan.members.push({ collection: key, id, payload });
      }
    } else {
      problems.push(unknown(pointer));
    }
  }
  if (problems.length > 0) throw RedfishError.badRequest(problems);
  return plan;
}

/** The body to send, once the guards passed on the manager as read; throws (nothing sent) when one refuses. */
export function managerPatchBody(plan: ManagerPatchPlan, machine: MachineRecord, managerId: string, current: RedfishResource): Record<string, unknown> {
  const out: Record<string, unknown> = { ...plan.standard };
  if (plan.profile === undefined && plan.members.length === 0) return out;
  const view = requireFan(machine.id, managerId, current.body);
  const fan: Record<string, unknown> = {};
  if (plan.profile !== undefined) {
    assertProfileAllowed(machine.id, managerId, view, plan.profile);
    fan.Profile = plan.profile;
  }
  for (const { collection, id, payload } of plan.members) {
    assertFanMemberExists(machine.id, managerId, view, collection, id, payload);
    const block = (fan[collection] ?? {}) as Record<string, unknown>;
    block[id] = payload;
    fan[collection] = block;
  }
  out.Oem = { OpenBmc: { Fan: fan } };
  return out;
}
