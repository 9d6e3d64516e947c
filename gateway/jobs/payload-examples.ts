import type { Problem } from "../redfish/errors.js";

/**
 * One well-formed payload per BMC action, shown when a job's payload has the
 * wrong shape, so the fix is in the answer (docs/api.md has the full schemas).
 */
const EXAMPLES: Readonly<Record<string, unknown>> = {
  PatchProfile: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
  PatchManager: [{ ManagerID: "bmc", Payload: { ServiceIdentification: "rack 7" } }],
  PatchFanController: [{ ManagerID: "bmc", FanControllerID: "fan_cpu", Payload: { PCoefficient: 0.5 } }],
  PatchFanZone: [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 90 } }],
  PatchPidController: [{ ManagerID: "bmc", PidControllerID: "pid_cpu", Payload: { SetPoint: 70 } }],
};

/** "Expected: a PatchProfile payload such as [...]", or undefined for an action without one. */
export function expectedPayload(action: string): string | undefined {
  const example = EXAMPLES[action];
  return example === undefined ? undefined : `Expected: a ${action} payload such as ${JSON.stringify(example)} (one entry per manager).`;
}

/** The body's schema problems, the first one at a step's Payload also showing the shape its action expects. */
export function withExpectedPayloads(problems: Problem[], body: unknown): Problem[] {
  if (typeof body !== "object" || body === null) return problems;
  const record = body as Record<string, unknown>;
  const actionAt = (pointer: string): unknown => {
    if (pointer === "#/Payload") return record["Action"];
    const step = /^#\/Steps\/(\d+)\/Payload$/.exec(pointer)?.[1];
    const steps = record["Steps"];
    return step !== undefined && Array.isArray(steps) ? (steps[Number(step)] as Record<string, unknown> | undefined)?.["Action"] : undefined;
  };
  let shown = false;
  return problems.map((p) => {
    const action = actionAt(p.relatedProperties?.[0] ?? "");
    const expected = typeof action === "string" ? expectedPayload(action) : undefined;
    if (shown || !expected) return p;
    shown = true;
    return { ...p, resolution: expected };
  });
}
