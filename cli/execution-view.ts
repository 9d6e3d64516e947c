/**
 * How an execution resource (docs/api.md "Execution") reads to a person and to
 * the exit code: progress counts, the per-machine table, the outcome.
 */
import { ExitCode } from "./exit-codes.js";
import { elapsed, formatDuration } from "./durations.js";
import { statusStyle, type Cell } from "./output.js";
import type { ProgressState } from "./progress.js";
import { list, num, obj, str, type Resource } from "./resources.js";

export const FINAL_STATES = ["Completed", "Failed", "Cancelled", "Skipped", "Interrupted", "Halted"];
const DONE_STATUSES = ["Success", "Error", "Skipped", "Cancelled", "Unknown"];

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

/**
 * Progress as done/total. A one-step job counts machines; a job of several
 * steps counts tasks (step x machine), since a machine is only done after
 * its last step. Failures always count machines, as the Summary does.
 */
export function progressOf(execution: Resource): ProgressState {
  const outcomes = machineOutcomes(execution);
  const summary = obj(execution, "Summary");
  const multiStep = list(execution, "Steps").length > 1;
  const failedMachines = new Set(outcomes.filter((o) => str(o.machine, "Status") === "Error").map((o) => str(o.machine, "MachineId")));
  let done = outcomes.filter((o) => DONE_STATUSES.includes(str(o.machine, "Status") ?? "")).length;
  let total = outcomes.length;
  let failed = failedMachines.size;
  if (summary) {
    failed = Math.max(failed, num(summary, "Failed") ?? 0);
    if (!multiStep) {
      done = Math.max(done, (num(summary, "Succeeded") ?? 0) + (num(summary, "Failed") ?? 0));
      total = Math.max(total, num(summary, "Machines") ?? 0);
    }
  }
  // A rollout shows which wave it is in: "Running, batch 2 of 5" (batch 0 is the canary).
  const rollout = obj(execution, "Rollout");
  const wave = rollout ? `, batch ${num(rollout, "Batch") ?? 0} of ${num(rollout, "Batches") ?? 0}` : "";
  return { done, total, failed, label: `${str(execution, "State") ?? ""}${wave}`, unit: multiStep ? "tasks" : "machines" };
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

/** Per machine, from the Summary when the gateway sends one: { machines, ok, failed }. */
export function machineCounts(execution: Resource): { machines: number; ok: number; failed: number } {
  const summary = obj(execution, "Summary");
  const outcomes = machineOutcomes(execution);
  const byMachine = new Map<string, string[]>();
  for (const o of outcomes) {
    const id = str(o.machine, "MachineId") ?? "";
    byMachine.set(id, [...(byMachine.get(id) ?? []), str(o.machine, "Status") ?? ""]);
  }
  const statuses = [...byMachine.values()];
  const counted = {
    machines: byMachine.size,
    ok: statuses.filter((s) => s.every((x) => x === "Success")).length,
    failed: statuses.filter((s) => s.includes("Error")).length,
  };
  if (!summary) return counted;
  return {
    machines: num(summary, "Machines") ?? counted.machines,
    ok: num(summary, "Succeeded") ?? counted.ok,
    failed: num(summary, "Failed") ?? counted.failed,
  };
}

/** "Completed, health OK: 40 machines, 37 ok, 3 failed, in 12.3s". */
export function outcomeLine(execution: Resource): string {
  const c = machineCounts(execution);
  const state = str(execution, "State") ?? "?";
  const health = str(execution, "Health");
  const ms = elapsed(execution.StartTime, execution.EndTime);
  const reason = str(execution, "Reason");
  const rollout = obj(execution, "Rollout");
  const wave = rollout ? `, batch ${num(rollout, "Batch") ?? 0} of ${num(rollout, "Batches") ?? 0}` : "";
  return (
    `${state}${health ? `, health ${health}` : ""}: ${c.machines} machine${c.machines === 1 ? "" : "s"}, ${c.ok} ok, ${c.failed} failed` +
    `${wave}${ms !== null ? `, in ${formatDuration(ms)}` : ""}${reason ? ` (${reason})` : ""}`
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
