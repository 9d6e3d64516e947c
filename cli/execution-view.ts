/**
 * How an execution resource (REDFISH.md "Execution") reads to a person and to
 * the exit code: progress counts, the per-machine table, the outcome.
 */
import { ExitCode } from "./exit-codes.js";
import { elapsed, formatDuration } from "./durations.js";
import { statusStyle, type Cell } from "./output.js";
import type { ProgressState } from "./progress.js";
import { list, num, obj, str, type Resource } from "./resources.js";

export const FINAL_STATES = ["Completed", "Failed", "Cancelled", "Skipped", "Interrupted"];
const DONE_STATUSES = ["Success", "Error", "Skipped", "Cancelled"];

export function isFinalState(execution: Resource): boolean {
  return FINAL_STATES.includes(str(execution, "State") ?? "");
}

export interface MachineOutcome {
  step: string;
  action: string;
  machine: Resource;
}

export function machineOutcomes(execution: Resource): MachineOutcome[] {
  return list(execution, "Steps").flatMap((step) =>
    list(step, "Machines").map((machine) => ({ step: str(step, "Name") ?? "", action: str(step, "Action") ?? "", machine })),
  );
}

export function progressOf(execution: Resource): ProgressState {
  const outcomes = machineOutcomes(execution);
  const summary = obj(execution, "Summary");
  let done = outcomes.filter((o) => DONE_STATUSES.includes(str(o.machine, "Status") ?? "")).length;
  let failed = outcomes.filter((o) => str(o.machine, "Status") === "Error").length;
  let total = outcomes.length;
  if (summary) {
    const succeeded = num(summary, "Succeeded") ?? 0;
    const failedCount = num(summary, "Failed") ?? 0;
    done = Math.max(done, succeeded + failedCount);
    failed = Math.max(failed, failedCount);
    total = Math.max(total, num(summary, "Machines") ?? 0);
  }
  return { done, total, failed, label: str(execution, "State") ?? "" };
}

/**
 * The exit code an execution ends `jobs trigger --wait` with: 1 when any
 * machine failed; 3 when it was cancelled, skipped, interrupted, or failed
 * with no machine to blame (it never really started); else 0.
 */
export function exitCodeFor(execution: Resource): number {
  const state = str(execution, "State");
  if (state === "Cancelled" || state === "Skipped" || state === "Interrupted") return ExitCode.Unavailable;
  const { failed } = progressOf(execution);
  if (failed > 0) return ExitCode.MachinesFailed;
  if (state === "Failed") return ExitCode.Unavailable;
  const health = str(execution, "Health");
  if (health === "Warning" || health === "Critical") return ExitCode.MachinesFailed;
  return ExitCode.Ok;
}

/** "Completed, health OK: 40 machines, 37 ok, 3 failed, in 12.3s". */
export function outcomeLine(execution: Resource): string {
  const p = progressOf(execution);
  const state = str(execution, "State") ?? "?";
  const health = str(execution, "Health");
  const ms = elapsed(execution.StartTime, execution.EndTime);
  const ok = Math.max(0, p.done - p.failed);
  const reason = str(execution, "Reason");
  return (
    `${state}${health ? `, health ${health}` : ""}: ${p.total} machine${p.total === 1 ? "" : "s"}, ${ok} ok, ${p.failed} failed` +
    `${ms !== null ? `, in ${formatDuration(ms)}` : ""}${reason ? ` (${reason})` : ""}`
  );
}

export const MACHINE_HEADERS = ["step", "machine", "status", "attempts", "duration", "detail"];

export function machineRow(o: MachineOutcome): Cell[] {
  const m = o.machine;
  const status = str(m, "Status") ?? "";
  const ms = elapsed(m.StartTime, m.EndTime);
  const errorType = str(m, "ErrorType");
  const message = str(m, "Message");
  const detail = [errorType, message].filter((s): s is string => s !== null && s !== "").join(": ");
  return [
    o.step || o.action,
    str(m, "MachineId") ?? "",
    { text: status, style: statusStyle(status) },
    String(num(m, "Attempts") ?? "-"),
    ms === null ? "-" : formatDuration(ms),
    detail,
  ];
}
