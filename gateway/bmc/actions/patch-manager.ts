/**
 * PatchManager: standard Manager properties (e.g. ServiceIdentification), sent
 * as given. Works on any Redfish BMC.
 */
import { managerAction } from "./manager-action.js";
import type { ManagerPatchEntry } from "./types.js";

export const PatchManager = managerAction<ManagerPatchEntry>(
  { name: "PatchManager", machineTypes: ["Base", "Extend"] },
  {
    build: (entry) => ({ ...entry.Payload }),
    describe: (entry) => `${Object.keys(entry.Payload).join(", ")} on manager ${entry.ManagerID}`,
  },
);
