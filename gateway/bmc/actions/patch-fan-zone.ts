/**
 * PatchFanZone: changes an existing OpenBMC fan zone (FailSafePercent,
 * MinThermalOutput). Refuses a zone name the BMC does not have.
 */
import { assertFanMemberExists, fanMemberBody, requireFan } from "../oem/openbmc/fan.js";
import { managerAction } from "./manager-action.js";
import type { FanZoneEntry } from "./types.js";

export const PatchFanZone = managerAction<FanZoneEntry>(
  { name: "PatchFanZone", machineTypes: ["Extend"] },
  {
    mayAddProperties: true,
    target: (entry) => entry.FanZoneID,
    build(entry, manager, machine) {
      const view = requireFan(machine.id, entry.ManagerID, manager.body);
      assertFanMemberExists(machine.id, entry.ManagerID, view, "FanZones", entry.FanZoneID, entry.Payload);
      return fanMemberBody("FanZones", entry.FanZoneID, entry.Payload);
    },
    describe: (entry) => `Fan zone ${entry.FanZoneID} on manager ${entry.ManagerID}`,
  },
);
