import type { TaskError } from "../executions/types.js";

/**
 * Turns whatever an action threw into the TaskError recorded on a target result.
 * An action (the gateway's BMC client, say) classifies its own failures by
 * putting `type` (or `errorType`), `transient` and `detail` on the error; we
 * keep those, and fall back to the error's name.
 */
export function toTaskError(thrown: unknown): TaskError {
  if (typeof thrown !== "object" || thrown === null) {
    return { type: "Error", message: String(thrown) };
  }
  const source = thrown as Record<string, unknown>;
  const type =
    stringOf(source["type"]) ??
    stringOf(source["errorType"]) ??
    (stringOf(source["name"]) && source["name"] !== "Error" ? String(source["name"]) : undefined) ??
    "Error";
  const error: TaskError = { type, message: stringOf(source["message"]) ?? String(thrown) };
  if (source["transient"] === true) error.transient = true;
  if (source["detail"] !== undefined) error.detail = source["detail"];
  return error;
}

/** The server's wish for the next retry, when the action passed one along (e.g. from Retry-After). */
export function retryAfterOf(thrown: unknown): number | undefined {
  if (typeof thrown !== "object" || thrown === null) return undefined;
  const value = (thrown as Record<string, unknown>)["retryAfterMs"];
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function timeoutError(ms: number): TaskError {
  return { type: "Timeout", message: `Task did not finish within ${ms} ms`, transient: true };
}

export function cancelledError(message = "Cancelled"): TaskError {
  return { type: "Cancelled", message };
}

/** A task whose request was out when the run was cut: it may or may not have taken effect. */
export function inFlightError(why: string): TaskError {
  return { type: "Unknown", message: `The request was sent, but the run was stopped (${why}) before its outcome was known; check the target` };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
