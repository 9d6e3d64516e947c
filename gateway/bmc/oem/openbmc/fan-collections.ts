/**
 * The one table of OpenBMC's fan member collections (`Oem.OpenBmc.Fan` on a
 * manager): how each is named in messages, resources and Redfish types, the
 * schema a PATCH of one member passes, and the job action that changes one.
 */
import { ODATA_TYPES } from "../../../redfish/render.js";
import { BODY_SCHEMAS } from "../../../validation/schemas.js";
import type { BmcActionName } from "../../actions/types.js";

export type FanCollection = "FanControllers" | "FanZones" | "PidControllers";

export interface FanCollectionInfo {
  /** One member, for sentences: "Fan controller". */
  label: string;
  /** The Redfish type name of one member, for `@odata.type` and ResourceNotFound: "FanController". */
  memberType: string;
  /** The collection resource's Name. */
  collectionName: string;
  /** The collection resource's `@odata.type`. */
  collectionType: string;
  /** The schema (BODY_SCHEMAS) a PATCH of one member must pass. */
  patchSchema: string;
  /** The job action that changes one member on many machines. */
  action: BmcActionName;
}

export const FAN_COLLECTIONS: Readonly<Record<FanCollection, FanCollectionInfo>> = {
  FanControllers: {
    label: "Fan controller",
    memberType: "FanController",
    collectionName: "Fan Controller Collection",
    collectionType: ODATA_TYPES.fanControllerCollection,
    patchSchema: BODY_SCHEMAS.fanControllerPatch,
    action: "PatchFanController",
  },
  FanZones: {
    label: "Fan zone",
    memberType: "FanZone",
    collectionName: "Fan Zone Collection",
    collectionType: ODATA_TYPES.fanZoneCollection,
    patchSchema: BODY_SCHEMAS.fanZonePatch,
    action: "PatchFanZone",
  },
  PidControllers: {
    label: "PID controller",
    memberType: "PidController",
    collectionName: "PID Controller Collection",
    collectionType: ODATA_TYPES.pidControllerCollection,
    patchSchema: BODY_SCHEMAS.pidControllerPatch,
    action: "PatchPidController",
  },
};

/** The collections, in the order the gateway lists and mounts them. */
export const FAN_COLLECTION_NAMES = Object.keys(FAN_COLLECTIONS) as readonly FanCollection[];
