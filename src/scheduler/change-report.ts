/**
 * Reads the ChangeReport an action's run may put in its output (see
 * actions.ts): `changed`, `before`, `after`. Anything else in the output is
 * the action's own business.
 */
import type { TargetResult } from "../executions/types.js";

export function changeReportOf(output: unknown): Pick<TargetResult, "changed" | "before" | "after"> {
  if (typeof output !== "object" || output === null || Array.isArray(output)) return {};
  const o = output as Record<string, unknown>;
  const report: Pick<TargetResult, "changed" | "before" | "after"> = {};
  if (typeof o.changed === "boolean") report.changed = o.changed;
  if (o.before !== undefined) report.before = o.before;
  if (o.after !== undefined) report.after = o.after;
  return report;
}

/** Whether a target's result holds a snapshot a revert can work from. */
export function isRevertible(result: Readonly<TargetResult>): boolean {
  return result.status === "Success" && result.changed === true && result.before !== undefined && result.after !== undefined;
}
