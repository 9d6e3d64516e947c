/**
 * Every failure the core reports to a caller is a ShoalError: a stable `code`
 * a program can switch on, and one `detail` per problem so a front end (the
 * gateway, a CLI) can point at the exact property that is wrong.
 */

/** What went wrong, for a program to switch on (the gateway maps each to an HTTP status). */
export type ErrorCode =
  | "ValidationError"
  | "NotFound"
  | "AlreadyExists"
  | "AlreadyRunning"
  | "Conflict"
  | "PreconditionFailed"
  | "NotRunning"
  | "StoreError"
  /** A write was refused because the disk (or quota) is full; nothing of it was kept. */
  | "InsufficientStorage"
  | "Stopped";

/** What sort of problem a detail is; lets the gateway pick a Redfish message id. */
export type ProblemKind =
  | "missing"
  | "type"
  | "format"
  | "notInList"
  | "outOfRange"
  | "unknown"
  | "notFound"
  | "notWritable"
  | "invalid";

/** One problem with an input, at a JSON pointer into it. */
export interface ErrorDetail {
  /** JSON pointer into the input that was checked, e.g. "/period/daysOfMonth/2". "" is the whole input. */
  path: string;
  /** For people: what is wrong with the value at `path`. */
  message: string;
  kind?: ProblemKind;
  /** The offending value, when there is one worth echoing back. */
  value?: unknown;
}

/**
 * The one error type the core throws at its callers.
 *
 * @example
 * ```ts
 * try {
 *   await scheduler.createJob(spec);
 * } catch (error) {
 *   if (isShoalError(error) && error.code === "ValidationError") {
 *     for (const d of error.details) console.log(`${d.path}: ${d.message}`);
 *   } else throw error;
 * }
 * ```
 */
export class ShoalError extends Error {
  readonly code: ErrorCode;
  /** One entry per problem; empty when the message says it all. */
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = "ShoalError";
    this.code = code;
    this.details = details;
  }

  /** A "ValidationError" whose message names the one problem, or counts them. */
  static validation(details: ErrorDetail[], what = "input"): ShoalError {
    const first = details[0];
    const message =
      details.length === 1 && first
        ? `Invalid ${what}: ${first.path || "/"} ${first.message}`
        : `Invalid ${what}: ${details.length} problems`;
    return new ShoalError("ValidationError", message, details);
  }
}

/** Narrows an unknown catch value to a ShoalError. */
export function isShoalError(value: unknown): value is ShoalError {
  return value instanceof ShoalError;
}

/** Builds a JSON pointer from path segments, escaping "~" and "/" as RFC 6901 says. */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}
