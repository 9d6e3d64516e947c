/**
 * A DMTF Job body -> the MultiFish job body the gateway already checks and
 * runs. Each Payload is a PATCH of an aggregated manager
 * (`/redfish/v1/Managers/{machine}_{manager}`); its JsonBody becomes one step
 * per BMC action: standard Manager properties a PatchManager step, the
 * OpenBMC fan profile a PatchProfile step, each named fan controller, zone or
 * PID controller its own step. The Schedule becomes a Once (InitialStartTime
 * alone, or MaxOccurrences 1) or a daily Continuous schedule, in UTC; no
 * Schedule is a Manual job the route runs at once.
 */
import { isRecord } from "../bmc/errors.js";
import type { MachineRegistry } from "../platform/registry.js";
import type { Problem } from "../redfish/errors.js";
import { splitAggregatedId } from "./aggregate-links.js";

export interface DmtfPayload {
  TargetUri: string;
  HttpOperation?: "PATCH";
  JsonBody: string;
}

export interface DmtfJobCreateBody {
  Name?: string;
  Description?: string;
  Payload?: DmtfPayload;
  Schedule?: { InitialStartTime: string; RecurrenceInterval?: "P1D"; EnabledDaysOfWeek?: string[]; EnabledDaysOfMonth?: number[]; MaxOccurrences?: number };
  Oem?: { Shoal?: { Payloads: DmtfPayload[] } };
}

interface WireStep {
  Name: string;
  Action: string;
  Machines: string[];
  Payload: Record<string, unknown>[];
}

const FAN_ACTIONS = { FanControllers: ["PatchFanController", "FanControllerID"], FanZones: ["PatchFanZone", "FanZoneID"], PidControllers: ["PatchPidController", "PidControllerID"] } as const;

function stepsOf(payload: DmtfPayload, pointer: string, registry: MachineRegistry, problems: Problem[]): WireStep[] {
  const prefixed = decodeURIComponent(payload.TargetUri.slice("/redfish/v1/Managers/".length));
  const target = splitAggregatedId(registry, prefixed);
  if (!target) {
    problems.push({ key: "ResourceNotFound", args: ["Manager", payload.TargetUri], relatedProperties: [`${pointer}/TargetUri`] });
    return [];
  }
  let body: unknown;
  try {
    body = JSON.parse(payload.JsonBody);
  } catch {
    body = undefined;
  }
  if (!isRecord(body) || Object.keys(body).length === 0) {
    problems.push({ key: "PropertyValueFormatError", args: [payload.JsonBody.slice(0, 100), `${pointer.slice(2)}/JsonBody`], relatedProperties: [`${pointer}/JsonBody`], resolution: "JsonBody is the PATCH body as JSON text: a non-empty JSON object." });
    return [];
  }
  const machine = target.machine.id;
  const manager = target.memberId;
  const steps: WireStep[] = [];
  const step = (action: string, entry: Record<string, unknown>): void => {
    steps.push({ Name: `${action} ${machine}/${manager}`, Action: action, Machines: [machine], Payload: [{ ManagerID: manager, ...entry }] });
  };
  const { Oem, ...standard } = body;
  if (Object.keys(standard).length > 0) step("PatchManager", { Payload: standard });
  if (Oem === undefined) return steps;
  const fan = isRecord(Oem) && isRecord(Oem.OpenBmc) ? Oem.OpenBmc.Fan : undefined;
  if (!isRecord(fan) || Object.keys(Oem as Record<string, unknown>).length !== 1 || Object.keys((Oem as Record<string, Record<string, unknown>>).OpenBmc ?? {}).length !== 1) {
    problems.push({ key: "PropertyValueError", args: [`${pointer.slice(2)}/JsonBody`], relatedProperties: [`${pointer}/JsonBody`], resolution: "The only Oem a JsonBody may hold is Oem.OpenBmc.Fan (Profile, FanControllers, FanZones, PidControllers)." });
    return steps;
  }
  for (const [key, value] of Object.entries(fan)) {
    if (key === "Profile") {
      step("PatchProfile", { Payload: { Profile: value } });
    } else if (key === "FanControllers" || key === "FanZones" || key === "PidControllers") {
      const [action, idName] = FAN_ACTIONS[key];
      for (const [id, properties] of Object.entries(isRecord(value) ? value : {})) step(action, { [idName]: id, Payload: properties });
    } else {
      problems.push({ key: "PropertyUnknown", args: [`Oem/OpenBmc/Fan/${key}`], relatedProperties: [`${pointer}/JsonBody`] });
    }
  }
  return steps;
}

/** "2026-12-01T22:00:00+01:00" -> date and time in UTC. */
function utcParts(text: string): { date: string; time: string } {
  const iso = new Date(text).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

function scheduleOf(schedule: DmtfJobCreateBody["Schedule"], problems: Problem[]): Record<string, unknown> {
  if (schedule === undefined) return { Type: "Manual" };
  const { date, time } = utcParts(schedule.InitialStartTime);
  if (schedule.RecurrenceInterval === undefined || schedule.MaxOccurrences === 1) return { Type: "Once", Date: date, Time: time, TimeZone: "UTC" };
  if (schedule.MaxOccurrences !== undefined) {
    problems.push({ key: "PropertyValueNotInList", args: [String(schedule.MaxOccurrences), "Schedule/MaxOccurrences"], relatedProperties: ["#/Schedule/MaxOccurrences"], resolution: "A daily schedule runs until it is deleted or cancelled: give MaxOccurrences 1 (once) or leave it out." });
  }
  const days = (schedule.EnabledDaysOfWeek ?? []).filter((d) => d !== "Every");
  return {
    Type: "Continuous",
    Time: time,
    TimeZone: "UTC",
    Period: {
      StartDay: date,
      DaysOfWeek: (schedule.EnabledDaysOfWeek ?? []).includes("Every") ? [] : days,
      ...(schedule.EnabledDaysOfMonth !== undefined && schedule.EnabledDaysOfMonth.length > 0 && { DaysOfMonth: [...schedule.EnabledDaysOfMonth] }),
    },
  };
}

/** The MultiFish job body, and the problems found in the DMTF body (the job is not made when there are any). */
export function multiFishBodyOf(
  body: DmtfJobCreateBody,
  registry: MachineRegistry,
): { wire: Record<string, unknown>; problems: Problem[]; manual: boolean; sources: string[] } {
  const problems: Problem[] = [];
  const payloads: [DmtfPayload, string][] = [
    ...(body.Payload ? [[body.Payload, "#/Payload"] as [DmtfPayload, string]] : []),
    ...(body.Oem?.Shoal?.Payloads ?? []).map((p, i): [DmtfPayload, string] => [p, `#/Oem/Shoal/Payloads/${i}`]),
  ];
  if (payloads.length === 0) problems.push({ key: "PropertyMissing", args: ["Payload"], relatedProperties: ["#/Payload"] });
  const sources: string[] = [];
  const steps = payloads.flatMap(([payload, pointer]) => {
    const made = stepsOf(payload, pointer, registry, problems);
    for (let i = 0; i < made.length; i++) sources.push(`${pointer}/JsonBody`);
    return made;
  });
  const wire: Record<string, unknown> = {
    Name: body.Name ?? "Redfish job",
    ...(body.Description !== undefined && { Description: body.Description }),
    Steps: steps,
    Schedule: scheduleOf(body.Schedule, problems),
  };
  return { wire, problems, manual: body.Schedule === undefined, sources };
}
