/** The five BMC actions, for the gateway to register with `defineAction`. */
import { PatchFanController, PatchFanZone, PatchPidController, PatchProfile } from "../oem/openbmc/fan-actions.js";
import { PatchManager } from "./patch-manager.js";
import type { BmcAction } from "./types.js";

export { PatchFanController, PatchFanZone, PatchManager, PatchPidController, PatchProfile };
export type * from "./types.js";
export { loadActionPayloadSchema, ACTION_SCHEMA_DIR } from "./payload-schemas.js";

export const BMC_ACTIONS: readonly BmcAction[] = [PatchProfile, PatchManager, PatchFanController, PatchFanZone, PatchPidController];

const MACHINE_TYPES_OF: ReadonlyMap<string, readonly BmcAction["machineTypes"][number][]> = new Map(
  BMC_ACTIONS.map((a) => [a.name, a.machineTypes]),
);

/** The machine Types a BMC action can run on; undefined for an action that is not a BMC action. */
export function machineTypesOf(action: string): readonly BmcAction["machineTypes"][number][] | undefined {
  return MACHINE_TYPES_OF.get(action);
}
