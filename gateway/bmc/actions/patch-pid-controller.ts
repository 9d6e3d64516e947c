/**
 * PatchPidController: changes an existing OpenBMC PID controller. Refuses a
 * name the BMC does not have (bmcweb would create it).
 */
import { assertFanMemberExists, fanMemberBody, requireFan } from "../oem/openbmc/fan.js";
import { managerAction } from "./manager-action.js";
import type { PidControllerEntry } from "./types.js";

export const PatchPidController = managerAction<PidControllerEntry>(
  { name: "PatchPidController", machineTypes: ["Extend"] },
  {
    mayAddProperties: true,
    target: (entry) => entry.PidControllerID,
    build(entry, manager, machine) {
      const view = requireFan(machine.id, entry.ManagerID, manager.body);
      assertFanMemberExists(machine.id, entry.ManagerID, view, "PidControllers", entry.PidControllerID, entry.Payload);
      return fanMemberBody("PidControllers", entry.PidControllerID, entry.Payload);
    },
    describe: (entry) => `PID controller ${entry.PidControllerID} on manager ${entry.ManagerID}`,
  },
);
