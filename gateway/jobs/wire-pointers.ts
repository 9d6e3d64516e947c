/**
 * Core error paths (JSON pointers into a JobSpec) -> pointers into the body
 * the client sent, so `RelatedProperties` names what the client wrote:
 * "/steps/0/targets/1" is "#/Machines/1" in a MultiFish body and
 * "#/Steps/0/Machines/1" in a Steps body; "/policy/taskTimeoutMs" is
 * "#/Policy/TaskTimeoutSeconds". The names come from the table in wire-fields.ts.
 */
import type { PointerTranslator } from "../redfish/shoal-to-redfish.js";
import { JOB_FIELDS, POLICY_FIELDS, ROLLOUT_FIELDS, SCHEDULE_FIELDS, STEP_FIELDS, wireName, type WireField } from "./wire-fields.js";
import type { BodyShape } from "./wire-types.js";

const pascal = (s: string): string => (/^\d+$/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1));

function join(segments: readonly string[]): string {
  return segments.length === 0 ? "#" : `#/${segments.join("/")}`;
}

/**
 * A core path inside an object described by `table`, in wire names. Below a
 * field with no table of its own (an index, a payload's insides) the path is
 * already in the client's own spelling; a field the table lacks is capitalised.
 */
function fieldSegments(table: readonly WireField[], path: readonly string[]): string[] {
  const [name, ...below] = path;
  if (name === undefined) return [];
  if (/^\d+$/.test(name)) return [name, ...fieldSegments(table, below)];
  const field = wireName(table, name);
  if (!field) return [pascal(name), ...below.map(pascal)];
  return [field.wire, ...(field.fields ? fieldSegments(field.fields, below) : below)];
}

function scheduleSegments(rest: readonly string[], shape: BodyShape): string[] {
  const out = ["Schedule", ...fieldSegments(SCHEDULE_FIELDS, rest)];
  // "1,15" has no index to point into: point at the string itself.
  if (shape.daysOfMonthAsString && out[2] === "DaysOfMonth" && out.length > 3) out.length = 3;
  return out;
}

function stepSegments(rest: readonly string[], shape: BodyShape): string[] {
  const [index, field, ...below] = rest;
  if (index === undefined) return shape.steps === "steps" ? ["Steps"] : ["Action"];
  if (shape.steps === "single") {
    // One implicit step: its fields are the body's top-level Action, Machines and Payload.
    if (field === undefined || field === "action" || field === "name" || field === "mode") return ["Action"];
    return fieldSegments(STEP_FIELDS, [field, ...below]);
  }
  return ["Steps", index, ...fieldSegments(STEP_FIELDS, field === undefined ? [] : [field, ...below])];
}

function policySegments(rest: readonly string[]): string[] {
  const [field, ...below] = rest;
  // The core keeps the rollout in the policy; the client sent it as the top-level Rollout.
  if (field === "rollout") return ["Rollout", ...fieldSegments(ROLLOUT_FIELDS, below)];
  return ["Policy", ...fieldSegments(POLICY_FIELDS, rest)];
}

/** Translates one core path for a body of the given shape. */
export function wirePointer(corePath: string, shape: BodyShape): string {
  if (corePath === "") return "#";
  const [head = "", ...rest] = corePath.split("/").slice(1);
  switch (head) {
    case "schedule":
      return join(scheduleSegments(rest, shape));
    case "steps":
      return join(stepSegments(rest, shape));
    case "policy":
      return join(policySegments(rest));
    case "metadata":
      return "#";
    default:
      return join(fieldSegments(JOB_FIELDS, [head, ...rest]));
  }
}

export function jobPointerTranslator(shape: BodyShape): PointerTranslator {
  return (corePath) => wirePointer(corePath, shape);
}

/** For errors about a schedule checked on its own (PreviewSchedule): paths are relative to the schedule. */
export function schedulePointerTranslator(shape: BodyShape): PointerTranslator {
  return (corePath) => wirePointer(`/schedule${corePath}`, shape);
}
