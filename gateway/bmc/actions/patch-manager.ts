/**
 * PatchManager: standard Manager properties (e.g. ServiceIdentification), sent
 * as given. Works on any Redfish BMC.
 */
import { patchManagers } from "./patch-managers.js";
import type { BmcAction, ManagerPatchEntry } from "./types.js";

export const PatchManager: BmcAction<ManagerPatchEntry> = {
  name: "PatchManager",
  machineTypes: ["Base", "Extend"],
  run(ctx) {
    return patchManagers(PatchManager, ctx, {
      build: (entry) => ({ ...entry.Payload }),
      describe: (entry) => `${Object.keys(entry.Payload).join(", ")} on manager ${entry.ManagerID}`,
    });
  },
};
