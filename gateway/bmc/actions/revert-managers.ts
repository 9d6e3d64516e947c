/**
 * Undoing a run from its snapshot: for each manager the run changed, the
 * properties it set go back to their `before` values, but only if every one
 * of them still holds the run's `after` value. A machine changed since is a
 * Conflict and nothing is sent to it (all managers are checked first).
 */
import { BmcError, isBmcError } from "../errors.js";
import { assertMachineType, managerPath } from "./patch-managers.js";
import { bodyOf, pick, sameValue, valueAt, type ManagerSnapshot } from "./property-paths.js";
import type { ActionOutput, BmcAction, BmcActionContext, EntryOutcome, RevertInput } from "./types.js";

function conflicts(machineId: string, managerId: string, doc: unknown, expected: Record<string, unknown>): string[] {
  return Object.entries(expected)
    .filter(([path, value]) => !sameValue(valueAt(doc, path).value ?? null, value))
    .map(([path, value]) => `${path} is ${JSON.stringify(valueAt(doc, path).value ?? null)}, the run left ${JSON.stringify(value)} (manager ${managerId} of machine ${machineId})`);
}

/** A property the manager did not show before the run (null) cannot be taken away again; the rest go back. */
function restorable(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
}

export async function revertManagers<E>(action: Pick<BmcAction<E>, "name" | "machineTypes">, ctx: BmcActionContext<E> & RevertInput): Promise<ActionOutput> {
  assertMachineType(action, ctx.machine);
  const bmc = ctx.client.connect(ctx.machine, { signal: ctx.signal });
  try {
    const managers = Object.keys(ctx.before);
    const reads = new Map<string, Awaited<ReturnType<typeof bmc.get>>>();
    const found: string[] = [];
    for (const managerId of managers) {
      const read = await bmc.get(managerPath(managerId));
      reads.set(managerId, read);
      found.push(...conflicts(ctx.machine.id, managerId, read.body, ctx.after[managerId] ?? {}));
    }
    if (found.length > 0) {
      throw new BmcError({ type: "Conflict", transient: false, machineId: ctx.machine.id, message: `Changed since the run: ${found.join("; ")}; nothing was sent` });
    }
    const entries: EntryOutcome[] = [];
    const after: ManagerSnapshot = {};
    for (const managerId of managers) {
      const path = managerPath(managerId);
      const values = ctx.before[managerId]!;
      const result = await bmc.update(
        path,
        (manager) => {
          // A 412 means someone wrote in between: check again on the fresh copy.
          const late = conflicts(ctx.machine.id, managerId, manager.body, ctx.after[managerId] ?? {});
          if (late.length > 0) throw new BmcError({ type: "Conflict", transient: false, machineId: ctx.machine.id, message: `Changed since the run: ${late.join("; ")}` });
          return bodyOf(restorable(values));
        },
        { current: reads.get(managerId)! },
      );
      entries.push({ ManagerID: managerId, uri: path, status: result.status });
      after[managerId] = pick((await bmc.get(path)).body, Object.keys(values));
    }
    const count = managers.reduce((n, m) => n + Object.keys(ctx.before[m]!).length, 0);
    return {
      message: `Reverted ${count} ${count === 1 ? "property" : "properties"} on ${managers.map((m) => `manager ${m}`).join(", ")}`,
      entries,
      requests: bmc.requests,
      changed: true,
      before: ctx.after,
      after,
    };
  } catch (error) {
    if (isBmcError(error)) error.detail.requests = bmc.requests;
    throw error;
  }
}
