/**
 * Where the JSON Schemas of the action payloads live (`schemas/actions/<Action>.json`
 * at the package root) and how to load one. The gateway compiles them once with
 * ajv (draft-07, the default `Ajv` class) at start.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BmcActionName } from "./types.js";

/** `<package root>/schemas/actions/`, from `lib/gateway/bmc/actions/` (compiled) four levels up. */
export const ACTION_SCHEMA_DIR = fileURLToPath(new URL("../../../../schemas/actions/", import.meta.url));

export function loadActionPayloadSchema(name: BmcActionName): Record<string, unknown> {
  return JSON.parse(readFileSync(`${ACTION_SCHEMA_DIR}${name}.json`, "utf8")) as Record<string, unknown>;
}
