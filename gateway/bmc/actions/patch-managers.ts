/**
 * The loop every action shares: one PATCH per payload entry to
 * `/redfish/v1/Managers/{ManagerID}`, all-or-nothing in what it checks first.
 *
 * 1. Read every manager the payload names (once each).
 * 2. Check every entry against what was read (`plan.build` throws a refusal):
 *    one bad entry refuses the whole target before anything is sent.
 * 3. PATCH entry by entry with If-Match (see BmcConnection.update); on 412 the
 *    manager is read again and the entry checked again on the fresh copy.
 *
 * The target succeeds only when every entry did; the first failure rejects.
 */
import type { Machine } from "../../platform/machine.js";
import type { RedfishResource } from "../client.js";
import { BmcError, isBmcError } from "../errors.js";
import type { ActionOutput, BmcAction, BmcActionContext, EntryOutcome, ManagerEntry } from "./types.js";

export interface EntryPlan<E extends ManagerEntry> {
  /** The controller or zone the entry names, if any (for the output). */
  target?(entry: E): string;
  /** The PATCH body for `entry` given the manager as read; throws a BmcError to refuse. */
  build(entry: E, manager: RedfishResource, machine: Machine): unknown;
  /** One line about a successful entry, e.g. "Profile PowerSaver on manager bmc". */
  describe(entry: E): string;
}

export function managerPath(managerId: string): string {
  return `/redfish/v1/Managers/${encodeURIComponent(managerId)}`;
}

function assertRunnable<E>(action: Pick<BmcAction<E>, "name" | "machineTypes">, ctx: BmcActionContext<E>): void {
  if (!action.machineTypes.includes(ctx.machine.type)) {
    throw new BmcError({
      type: "NotSupported",
      transient: false,
      machineId: ctx.machine.id,
      message: `${action.name} cannot run on machine ${ctx.machine.id}: its type is ${ctx.machine.type}, the action needs ${action.machineTypes.join(" or ")}`,
    });
  }
  if (!Array.isArray(ctx.payload) || ctx.payload.length === 0) {
    throw new BmcError({
      type: "NotSupported",
      transient: false,
      machineId: ctx.machine.id,
      message: `${action.name} needs a non-empty array of manager entries`,
    });
  }
}

export async function patchManagers<E extends ManagerEntry>(
  action: Pick<BmcAction<E>, "name" | "machineTypes">,
  ctx: BmcActionContext<E>,
  plan: EntryPlan<E>,
): Promise<ActionOutput> {
  assertRunnable(action, ctx);
  const bmc = ctx.client.connect(ctx.machine, { signal: ctx.signal });
  try {
    // A manager read is used for one PATCH only: after it, its ETag is stale.
    const fresh = new Map<string, RedfishResource>();
    for (const entry of ctx.payload) {
      if (!fresh.has(entry.ManagerID)) fresh.set(entry.ManagerID, await bmc.get(managerPath(entry.ManagerID)));
    }
    for (const entry of ctx.payload) plan.build(entry, fresh.get(entry.ManagerID)!, ctx.machine);

    const entries: EntryOutcome[] = [];
    for (const entry of ctx.payload) {
      const path = managerPath(entry.ManagerID);
      const current = fresh.get(entry.ManagerID);
      fresh.delete(entry.ManagerID);
      const result = await bmc.update(path, (manager) => plan.build(entry, manager, ctx.machine), current ? { current } : {});
      const outcome: EntryOutcome = { ManagerID: entry.ManagerID, uri: path, status: result.status };
      const target = plan.target?.(entry);
      if (target !== undefined) outcome.Target = target;
      entries.push(outcome);
    }
    return {
      message: ctx.payload.map((e, i) => `${plan.describe(e)} (HTTP ${entries[i]!.status})`).join("; "),
      entries,
      requests: bmc.requests,
    };
  } catch (error) {
    if (isBmcError(error)) error.detail.requests = bmc.requests;
    throw error;
  }
}
