/**
 * PatchProfile: sets the OpenBMC fan profile on each named manager, after
 * checking the value against that BMC's `Profile@Redfish.AllowableValues`.
 */
import { assertProfileAllowed, profileBody, requireFan } from "../oem/openbmc/fan.js";
import { managerAction } from "./manager-action.js";
import type { ProfileEntry } from "./types.js";

export const PatchProfile = managerAction<ProfileEntry>(
  { name: "PatchProfile", machineTypes: ["Extend"] },
  {
    build(entry, manager, machine) {
      const view = requireFan(machine.id, entry.ManagerID, manager.body);
      assertProfileAllowed(machine.id, entry.ManagerID, view, entry.Payload.Profile);
      return profileBody(entry.Payload.Profile);
    },
    describe: (entry) => `Profile ${entry.Payload.Profile} on manager ${entry.ManagerID}`,
  },
);
