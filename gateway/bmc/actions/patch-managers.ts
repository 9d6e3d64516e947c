/**
 * The loop every action shares: one PATCH per payload entry to
 * `/redfish/v1/Managers/{ManagerID}`, all-or-nothing in what it checks first.
 *
 * 1. Read every manager the payload names (once each).
 * 2. Check every entry against what was read (`plan.build` throws a refusal,
 *    and a property the manager does not have is refused): one bad entry
 *    refuses the whole target before anything is sent.
 * 3. PATCH entry by entry with If-Match (see BmcConnection.update); on 412 the
 *    manager is read again and the entry checked again on the fresh copy. An
 *    entry whose properties already hold the desired values is not sent.
 * 4. Read each patched manager again: `after` is what the BMC holds then
 *    (bmcweb answers a PATCH with 204 or messages, never the resource).
 *
 * The target succeeds only when every entry did; the first failure rejects.
 * `planManagers` runs steps 1 and 2 and reports the differences instead.
 */
import type { PlanResult, PlannedChange } from "../../../src/scheduler/actions.js";
import type { Machine } from "../../platform/machine.js";
import type { BmcConnection, RedfishResource } from "../client.js";
import { BmcError, isBmcError } from "../errors.js";
import { diff, pick, type ManagerSnapshot, type PropertyDiff } from "./property-paths.js";
import type { ActionOutput, BmcAction, BmcActionContext, EntryOutcome, ManagerEntry } from "./types.js";

export interface EntryPlan<E extends ManagerEntry> {
  /** The controller or zone the entry names, if any (for the output). */
  target?(entry: E): string;
  /** The PATCH body for `entry` given the manager as read; throws a BmcError to refuse. */
  build(entry: E, manager: RedfishResource, machine: Machine): unknown;
  /** One line about a successful entry, e.g. "Profile PowerSaver on manager bmc". */
  describe(entry: E): string;
  /**
   * Whether the entry may set a property the manager does not show yet.
   * Fan members omit optional properties they have no value for (a PID
   * controller without SetPointOffset); the payload schema vouches for those
   * names. Without it, a property the manager lacks is refused.
   */
  mayAddProperties?: boolean;
}

type ActionInfo<E> = Pick<BmcAction<E>, "name" | "machineTypes">;

export function managerPath(managerId: string): string {
  return `/redfish/v1/Managers/${encodeURIComponent(managerId)}`;
}

export function assertMachineType<E>(action: ActionInfo<E>, machine: Machine): void {
  if (!action.machineTypes.includes(machine.type)) {
    throw new BmcError({
      type: "NotSupported",
      transient: false,
      machineId: machine.id,
      message: `${action.name} cannot run on machine ${machine.id}: its type is ${machine.type}, the action needs ${action.machineTypes.join(" or ")}`,
    });
  }
}

function assertRunnable<E>(action: ActionInfo<E>, ctx: Pick<BmcActionContext<E>, "machine" | "payload">): void {
  assertMachineType(action, ctx.machine);
  if (!Array.isArray(ctx.payload) || ctx.payload.length === 0) {
    throw new BmcError({
      type: "NotSupported",
      transient: false,
      machineId: ctx.machine.id,
      message: `${action.name} needs a non-empty array of manager entries`,
    });
  }
}

/** The entry's body checked against the manager, with each property it sets; refuses a property the manager lacks. */
function checkedDiff<E extends ManagerEntry>(plan: EntryPlan<E>, entry: E, manager: RedfishResource, machine: Machine): { body: unknown; diffs: PropertyDiff[] } {
  const body = plan.build(entry, manager, machine);
  const diffs = diff(body, manager.body);
  const missing = diffs.filter((d) => !d.present).map((d) => d.path);
  if (missing.length > 0 && !plan.mayAddProperties) {
    throw new BmcError({
      type: "PropertyUnknown",
      transient: false,
      machineId: machine.id,
      message: `Manager ${entry.ManagerID} on machine ${machine.id} has no ${missing.join(", ")}; nothing was sent`,
    });
  }
  return { body, diffs };
}

async function readManagers(bmc: BmcConnection, ids: Iterable<string>): Promise<Map<string, RedfishResource>> {
  const read = new Map<string, RedfishResource>();
  for (const id of ids) if (!read.has(id)) read.set(id, await bmc.get(managerPath(id)));
  return read;
}

function addTo(snapshot: ManagerSnapshot, managerId: string, values: Record<string, unknown>): void {
  snapshot[managerId] = { ...snapshot[managerId], ...values };
}

/** `after`: each manager read again, for the paths `before` has. */
async function reread(bmc: BmcConnection, before: ManagerSnapshot, touched: ReadonlySet<string>): Promise<ManagerSnapshot> {
  const after: ManagerSnapshot = {};
  for (const [managerId, values] of Object.entries(before)) {
    after[managerId] = touched.has(managerId) ? pick((await bmc.get(managerPath(managerId))).body, Object.keys(values)) : { ...values };
  }
  return after;
}

export async function patchManagers<E extends ManagerEntry>(action: ActionInfo<E>, ctx: BmcActionContext<E>, plan: EntryPlan<E>): Promise<ActionOutput> {
  assertRunnable(action, ctx);
  const bmc = ctx.client.connect(ctx.machine, { signal: ctx.signal });
  try {
    // A manager read is used for one PATCH only: after it, its ETag is stale.
    const fresh = await readManagers(bmc, ctx.payload.map((e) => e.ManagerID));
    // Each entry's check against the manager as first read, kept: the loop below and the
    // PATCH's build use the same read unless a 412 made them read it again.
    const checked = new Map<E, { manager: RedfishResource; body: unknown; diffs: PropertyDiff[] }>();
    for (const entry of ctx.payload) {
      const manager = fresh.get(entry.ManagerID)!;
      checked.set(entry, { manager, ...checkedDiff(plan, entry, manager, ctx.machine) });
    }
    const checkedAgainst = (entry: E, manager: RedfishResource): { body: unknown; diffs: PropertyDiff[] } => {
      const known = checked.get(entry);
      return known && known.manager === manager ? known : checkedDiff(plan, entry, manager, ctx.machine);
    };

    const entries: EntryOutcome[] = [];
    const before: ManagerSnapshot = {};
    const touched = new Set<string>();
    for (const entry of ctx.payload) {
      const path = managerPath(entry.ManagerID);
      const outcome: EntryOutcome = { ManagerID: entry.ManagerID, uri: path, status: null };
      const target = plan.target?.(entry);
      if (target !== undefined) outcome.Target = target;
      entries.push(outcome);
      const current = fresh.get(entry.ManagerID) ?? (await bmc.get(path));
      fresh.delete(entry.ManagerID);
      const { diffs } = checkedAgainst(entry, current);
      addTo(before, entry.ManagerID, Object.fromEntries(diffs.filter((d) => !(d.path in (before[entry.ManagerID] ?? {}))).map((d) => [d.path, d.current])));
      if (diffs.every((d) => d.equal)) continue;
      const result = await bmc.update(path, (manager) => checkedAgainst(entry, manager).body, { current });
      outcome.status = result.status;
      touched.add(entry.ManagerID);
    }
    const after = await reread(bmc, before, touched);
    const message = ctx.payload
      .map((e, i) => `${plan.describe(e)} (${entries[i]!.status === null ? "already set, not sent" : `HTTP ${entries[i]!.status}`})`)
      .join("; ");
    return { message, entries, requests: bmc.requests, changed: touched.size > 0, before, after };
  } catch (error) {
    if (isBmcError(error)) error.detail.requests = bmc.requests;
    throw error;
  }
}

/** Network trouble or a BMC failing on its side: the plan could not see the machine. */
function unreachable(error: BmcError): boolean {
  if (error.transient) return true;
  if (error.type === "HttpError") return (error.status ?? 0) >= 500 || error.status === 401 || error.status === 403;
  return !["ResourceNotFound", "PropertyValueNotInList", "PropertyUnknown", "NotSupported", "Conflict"].includes(error.type);
}

export function planOutcomeOf(error: unknown): PlanResult {
  if (!isBmcError(error)) return { outcome: "Refused", message: error instanceof Error ? error.message : String(error) };
  return { outcome: unreachable(error) ? "Unreachable" : "Refused", message: error.message };
}

export async function planManagers<E extends ManagerEntry>(action: ActionInfo<E>, ctx: BmcActionContext<E>, plan: EntryPlan<E>): Promise<PlanResult> {
  try {
    assertRunnable(action, ctx);
    const bmc = ctx.client.connect(ctx.machine, { signal: ctx.signal });
    const read = await readManagers(bmc, ctx.payload.map((e) => e.ManagerID));
    const changes: PlannedChange[] = [];
    for (const entry of ctx.payload) {
      for (const d of checkedDiff(plan, entry, read.get(entry.ManagerID)!, ctx.machine).diffs) {
        if (!d.equal) changes.push({ property: d.path, current: d.current, desired: d.desired, scope: entry.ManagerID });
      }
    }
    return changes.length > 0
      ? { outcome: "Change", changes, message: `${changes.length} ${changes.length === 1 ? "property" : "properties"} to change` }
      : { outcome: "NoChange", changes, message: "Already as desired; nothing would be sent" };
  } catch (error) {
    return planOutcomeOf(error);
  }
}
