/**
 * The payload schemas of the BMC actions, bundled from `schemas/actions/` at
 * build time: the same files the gateway validates job payloads with, so the
 * form and the gateway agree on every field.
 */
import PatchFanController from "../../../schemas/actions/PatchFanController.json";
import PatchFanZone from "../../../schemas/actions/PatchFanZone.json";
import PatchManager from "../../../schemas/actions/PatchManager.json";
import PatchPidController from "../../../schemas/actions/PatchPidController.json";
import PatchProfile from "../../../schemas/actions/PatchProfile.json";

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

export const ACTION_SCHEMAS: Record<string, JsonSchema> = {
  PatchProfile: PatchProfile as JsonSchema,
  PatchManager: PatchManager as JsonSchema,
  PatchFanController: PatchFanController as JsonSchema,
  PatchFanZone: PatchFanZone as JsonSchema,
  PatchPidController: PatchPidController as JsonSchema,
};

export const ACTIONS = Object.keys(ACTION_SCHEMAS);

/** The shape of one new payload entry: every required string filled with a sensible default. */
export function newEntry(schema: JsonSchema): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  const item = schema.items;
  for (const name of item?.required ?? []) {
    const prop = item?.properties?.[name];
    if (prop?.type === "object") entry[name] = {};
    else if (name === "ManagerID") entry[name] = "bmc";
    else entry[name] = "";
  }
  return entry;
}
