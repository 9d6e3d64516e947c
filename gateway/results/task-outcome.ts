/**
 * Bridges a finished task to its result file: where the requests, the error
 * class and the BMC's own error live, whether the task succeeded (the action's
 * output) or failed (the BmcError the scheduler kept, or its TaskError copy).
 */
import type { RequestRecord } from "../bmc/errors.js";
import { isObject as isRecord } from "../../src/problems.js";

function requestsOf(value: unknown): RequestRecord[] {
  if (!isRecord(value) || !Array.isArray(value.requests)) return [];
  return value.requests.filter(
    (r): r is RequestRecord => isRecord(r) && typeof r.method === "string" && typeof r.uri === "string",
  );
}

export interface OutcomeFields {
  requests: RequestRecord[];
  errorType: string | null;
  /** The error's detail without the request list (that goes to `requests`). */
  errorDetail: unknown;
}

/**
 * `output` is what the action resolved with (ActionOutput); `error` what it
 * rejected with, as a BmcError or any `{ type, detail }` copy of one.
 */
export function outcomeFields(task: { output?: unknown; error?: unknown }): OutcomeFields {
  if (task.error === undefined || task.error === null) {
    return { requests: requestsOf(task.output), errorType: null, errorDetail: null };
  }
  const error = isRecord(task.error) || task.error instanceof Error ? (task.error as { type?: unknown; detail?: unknown }) : {};
  const type = typeof error.type === "string" ? error.type : "Unknown";
  const detail = error.detail;
  if (!isRecord(detail)) return { requests: [], errorType: type, errorDetail: detail ?? null };
  const { requests: _requests, ...rest } = detail;
  return { requests: requestsOf(detail), errorType: type, errorDetail: Object.keys(rest).length > 0 ? rest : null };
}
