/**
 * Core error paths (JSON pointers into a JobSpec) -> pointers into the body
 * the client sent, so `RelatedProperties` names what the client wrote:
 * "/steps/0/targets/1" is "#/Machines/1" in a MultiFish body and
 * "#/Steps/0/Machines/1" in a Steps body; "/policy/taskTimeoutMs" is
 * "#/Policy/TaskTimeoutSeconds".
 */
import type { PointerTranslator } from "../redfish/shoal-to-redfish.js";
import type { BodyShape } from "./wire-types.js";

const STEP_FIELDS: Readonly<Record<string, string>> = {
  name: "Name",
  action: "Action",
  targets: "Machines",
  payload: "Payload",
  mode: "Mode",
  continueOnFailure: "ContinueOnFailure",
};

const POLICY_FIELDS: Readonly<Record<string, string>> = {
  overlap: "Overlap",
  misfire: "Misfire",
  maxConcurrency: "MaxConcurrency",
  taskTimeoutMs: "TaskTimeoutSeconds",
  executionTimeoutMs: "ExecutionTimeoutSeconds",
  retry: "Retry",
  maxAttempts: "MaxAttempts",
  initialDelayMs: "InitialDelaySeconds",
  factor: "Factor",
  maxDelayMs: "MaxDelaySeconds",
  jitter: "Jitter",
};

const pascal = (s: string): string => (/^\d+$/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1));

function join(segments: readonly string[]): string {
  return segments.length === 0 ? "#" : `#/${segments.join("/")}`;
}

function scheduleSegments(rest: readonly string[], shape: BodyShape): string[] {
  const out = ["Schedule", ...rest.map(pascal)];
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
    return [STEP_FIELDS[field] ?? pascal(field), ...below];
  }
  if (field === undefined) return ["Steps", index];
  // Below the payload the path is already in the client's own spelling.
  const tail = field === "payload" ? below : below.map(pascal);
  return ["Steps", index, STEP_FIELDS[field] ?? pascal(field), ...tail];
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
      return join(["Policy", ...rest.map((s) => POLICY_FIELDS[s] ?? pascal(s))]);
    case "metadata":
      return "#";
    default:
      return join([pascal(head), ...rest.map(pascal)]);
  }
}

export function jobPointerTranslator(shape: BodyShape): PointerTranslator {
  return (corePath) => wirePointer(corePath, shape);
}

/** For errors about a schedule checked on its own (PreviewSchedule): paths are relative to the schedule. */
export function schedulePointerTranslator(shape: BodyShape): PointerTranslator {
  return (corePath) => wirePointer(`/schedule${corePath}`, shape);
}
