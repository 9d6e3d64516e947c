/**
 * PatchFanZone: changes an existing OpenBMC fan zone (FailSafePercent,
 * MinThermalOutput). Refuses a zone name the BMC does not have.
 */
import { assertFanMemberExists, fanMemberBody, requireFan } from "../oem/openbmc/fan.js";
import { patchManagers } from "./patch-managers.js";
import type { BmcAction, FanZoneEntry } from "./types.js";

export const PatchFanZone: BmcAction<FanZoneEntry> = {
  name: "PatchFanZone",
  machineTypes: ["Extend"],
  run(ctx) {
    return patchManagers(PatchFanZone, ctx, {
      target: (entry) => entry.FanZoneID,
      build(entry, manager, machine) {
        const view = requireFan(machine.id, entry.ManagerID, manager.body);
        assertFanMemberExists(machine.id, entry.ManagerID, view, "FanZones", entry.FanZoneID, entry.Payload);
        return fanMemberBody("FanZones", entry.FanZoneID, entry.Payload);
      },
      describe: (entry) => `Fan zone ${entry.FanZoneID} on manager ${entry.ManagerID}`,
    });
  },
};
