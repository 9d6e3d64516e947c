/**
 * The job actions on OpenBMC's fan block: PatchProfile sets the fan profile
 * after checking it against the BMC's `Profile@Redfish.AllowableValues`;
 * PatchFanController, PatchFanZone and PatchPidController change one existing
 * member each, refusing a name the BMC does not have (bmcweb would create it).
 */
import { managerAction } from "../../actions/manager-action.js";
import type { BmcAction, FanControllerEntry, FanZoneEntry, ManagerEntry, PidControllerEntry, ProfileEntry } from "../../actions/types.js";
import { assertFanMemberExists, assertProfileAllowed, fanMemberBody, profileBody, requireFan } from "./fan.js";
import { FAN_COLLECTIONS, type FanCollection } from "./fan-collections.js";

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

/** The action that changes one existing member of `collection`, named in each entry by `idOf`. */
function memberAction<E extends ManagerEntry & { Payload: Record<string, unknown> }>(collection: FanCollection, idOf: (entry: E) => string): BmcAction<E> {
  const info = FAN_COLLECTIONS[collection];
  return managerAction<E>(
    { name: info.action, machineTypes: ["Extend"] },
    {
      mayAddProperties: true,
      target: idOf,
      build(entry, manager, machine) {
        const view = requireFan(machine.id, entry.ManagerID, manager.body);
        assertFanMemberExists(machine.id, entry.ManagerID, view, collection, idOf(entry), entry.Payload);
        return fanMemberBody(collection, idOf(entry), entry.Payload);
      },
      describe: (entry) => `${info.label} ${idOf(entry)} on manager ${entry.ManagerID}`,
    },
  );
}

export const PatchFanController = memberAction<FanControllerEntry>("FanControllers", (entry) => entry.FanControllerID);
export const PatchFanZone = memberAction<FanZoneEntry>("FanZones", (entry) => entry.FanZoneID);
export const PatchPidController = memberAction<PidControllerEntry>("PidControllers", (entry) => entry.PidControllerID);
