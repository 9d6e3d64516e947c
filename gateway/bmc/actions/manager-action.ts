/**
 * Makes a BmcAction from what is particular to it (name, machine types, how
 * an entry becomes a PATCH body): run, plan and revert share the reads and
 * checks in patch-managers.ts, so a plan refuses exactly what a run would.
 */
import { patchManagers, planManagers, type EntryPlan } from "./patch-managers.js";
import { revertManagers } from "./revert-managers.js";
import type { BmcAction, BmcActionName, ManagerEntry } from "./types.js";

export function managerAction<E extends ManagerEntry>(info: Pick<BmcAction<E>, "name" | "machineTypes"> & { name: BmcActionName }, plan: EntryPlan<E>): BmcAction<E> {
  return {
    name: info.name,
    machineTypes: info.machineTypes,
    run: (ctx) => patchManagers(info, ctx, plan),
    plan: (ctx) => planManagers(info, ctx, plan),
    revert: (ctx) => revertManagers(info, ctx),
  };
}
