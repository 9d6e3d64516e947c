/**
 * PatchFanController: changes an existing OpenBMC fan controller. Refuses a
 * name the BMC does not have (bmcweb would create it).
 */
import { assertFanMemberExists, fanMemberBody, requireFan } from "../oem/openbmc/fan.js";
import { managerAction } from "./manager-action.js";
import type { FanControllerEntry } from "./types.js";

export const PatchFanController = managerAction<FanControllerEntry>(
  { name: "PatchFanController", machineTypes: ["Extend"] },
  {
    mayAddProperties: true,
    target: (entry) => entry.FanControllerID,
    build(entry, manager, machine) {
      const view = requireFan(machine.id, entry.ManagerID, manager.body);
      assertFanMemberExists(machine.id, entry.ManagerID, view, "FanControllers", entry.FanControllerID, entry.Payload);
      return fanMemberBody("FanControllers", entry.FanControllerID, entry.Payload);
    },
    describe: (entry) => `Fan controller ${entry.FanControllerID} on manager ${entry.ManagerID}`,
  },
);
