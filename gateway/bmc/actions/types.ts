/**
 * The shape of a BMC action: plain data plus one `run`. The gateway registers
 * each into the scheduler with `defineAction`, handing `run` the machine the
 * task targets, the job's (already validated) payload, the task's AbortSignal
 * and the shared Redfish client.
 */
import type { Machine, MachineType } from "../../platform/machine.js";
import type { RedfishClient } from "../client.js";
import type { RequestRecord } from "../errors.js";

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
  /** The BMC's HTTP status for the PATCH. */
  status: number;
}

/** What a successful run returns; the result file records `requests`. */
export interface ActionOutput {
  message: string;
  entries: EntryOutcome[];
  requests: RequestRecord[];
}

export interface BmcAction<E = unknown> {
  name: BmcActionName;
  machineTypes: readonly MachineType[];
  /** Resolves when every entry succeeded; rejects with a BmcError otherwise. */
  run(ctx: BmcActionContext<E>): Promise<ActionOutput>;
}
