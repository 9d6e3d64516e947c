/**
 * The shape of a BMC action: plain data plus one `run`. The gateway registers
 * each into the scheduler with `defineAction`, handing `run` the machine the
 * task targets, the job's (already validated) payload, the task's AbortSignal
 * and the shared Redfish client.
 */
import type { Machine, MachineType } from "../../platform/machine.js";
import type { RedfishClient } from "../client.js";
import type { PlanResult } from "../../../src/scheduler/actions.js";
import type { RequestRecord } from "../errors.js";
import type { ManagerSnapshot } from "./property-paths.js";

export type BmcActionName = "PatchProfile" | "PatchManager" | "PatchFanController" | "PatchFanZone" | "PatchPidController";

/** Every payload entry names the manager it goes to. */
export interface ManagerEntry {
  ManagerID: string;
}

export interface ProfileEntry extends ManagerEntry {
  Payload: { Profile: string };
}

export interface ManagerPatchEntry extends ManagerEntry {
  /** Standard Manager properties, sent as they are. */
  Payload: Record<string, unknown>;
}

export interface FanControllerEntry extends ManagerEntry {
  FanControllerID: string;
  Payload: Record<string, unknown>;
}

export interface FanZoneEntry extends ManagerEntry {
  FanZoneID: string;
  Payload: { FailSafePercent?: number; MinThermalOutput?: number };
}

export interface PidControllerEntry extends ManagerEntry {
  PidControllerID: string;
  Payload: Record<string, unknown>;
}

export interface BmcActionContext<E> {
  machine: Machine;
  payload: readonly E[];
  signal: AbortSignal;
  client: RedfishClient;
}

/** What one payload entry did on the BMC. */
export interface EntryOutcome {
  ManagerID: string;
  /** The controller or zone patched, when the action names one. */
  Target?: string;
  uri: string;
  /** The BMC's HTTP status for the PATCH; null when the entry was already in place and nothing was sent. */
  status: number | null;
}

/**
 * What a successful run returns; the result file records `requests`.
 * `changed`, `before` and `after` are the core's ChangeReport: the values of
 * exactly the properties the payload sets, per manager, as read before the
 * PATCH and as read again after it.
 */
export interface ActionOutput {
  message: string;
  entries: EntryOutcome[];
  requests: RequestRecord[];
  changed: boolean;
  before: ManagerSnapshot;
  after: ManagerSnapshot;
}

/** What a revert is handed: the snapshot the reverted run recorded. */
export interface RevertInput {
  before: ManagerSnapshot;
  after: ManagerSnapshot;
}

export interface BmcAction<E = unknown> {
  name: BmcActionName;
  machineTypes: readonly MachineType[];
  /** Resolves when every entry succeeded; rejects with a BmcError otherwise. */
  run(ctx: BmcActionContext<E>): Promise<ActionOutput>;
  /** What run would change, from the same reads and checks, sending no PATCH. */
  plan(ctx: BmcActionContext<E>): Promise<PlanResult>;
  /** Sets back the `before` values where the machine still holds the `after` ones; rejects with Conflict otherwise. */
  revert(ctx: BmcActionContext<E> & RevertInput): Promise<ActionOutput>;
}
