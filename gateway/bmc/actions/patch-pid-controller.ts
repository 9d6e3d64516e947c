/**
 * PatchPidController: changes an existing OpenBMC PID controller. Refuses a
 * name the BMC does not have (bmcweb would create it).
 */
import { assertFanMemberExists, fanMemberBody, requireFan } from "../oem/openbmc/fan.js";
import { patchManagers } from "./patch-managers.js";
import type { BmcAction, PidControllerEntry } from "./types.js";

export const PatchPidController: BmcAction<PidControllerEntry> = {
  name: "PatchPidController",
  machineTypes: ["Extend"],
  run(ctx) {
    return patchManagers(PatchPidController, ctx, {
      target: (entry) => entry.PidControllerID,
      build(entry, manager, machine) {
        const view = requireFan(machine.id, entry.ManagerID, manager.body);
        assertFanMemberExists(machine.id, entry.ManagerID, view, "PidControllers", entry.PidControllerID, entry.Payload);
        return fanMemberBody("PidControllers", entry.PidControllerID, entry.Payload);
      },
      describe: (entry) => `PID controller ${entry.PidControllerID} on manager ${entry.ManagerID}`,
    });
  },
};
