/**
 * Core Execution -> the JobExecution resource: one run of a job, with per
 * step, per machine results and a summary an operator reads first.
 */
import type { Execution, TargetResult } from "../../src/executions/types.js";
import { AFTER_TASK_ERROR } from "../../src/scheduler/execution-record.js";
import { RESULT_FILE } from "../bmc/register.js";
import { etagOfContent } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { ODATA_TYPES, rfc3339 } from "../redfish/render.js";

function field(output: unknown, name: string): string | null {
  if (typeof output !== "object" || output === null) return null;
  const value = (output as Record<string, unknown>)[name];
  return typeof value === "string" ? value : null;
}

function machineToWire(t: TargetResult): Record<string, unknown> {
  return {
    MachineId: t.target,
    Status: t.status,
    Attempts: t.attempts,
    StartTime: rfc3339(t.startedAt),
    EndTime: rfc3339(t.endedAt),
    ErrorType: t.error?.type ?? null,
    Message: withUnrecorded(t.error?.message ?? field(t.output, "message"), field(t.annotations, AFTER_TASK_ERROR)),
    // The BMC actions' afterTask hook records the result file it wrote (gateway/bmc/register.ts).
    ResultFile: field(t.annotations, RESULT_FILE) ?? field(t.output, RESULT_FILE),
    // Why a Skipped machine did not run (RolloutHalted), and what a run changed.
    ...(t.reason !== undefined && { Reason: t.reason }),
    ...(t.changed !== undefined && { Changed: t.changed, Before: t.before ?? null, After: t.after ?? null }),
  };
}

/** A machine whose result file could not be written says so in its message. */
function withUnrecorded(message: string | null, unrecorded: string | null): string | null {
  if (unrecorded === null) return message;
  const note = `result not recorded: ${unrecorded}`;
  return message === null ? note : `${message}; ${note}`;
}

export interface ExecutionSummary {
  Machines: number;
  Succeeded: number;
  Failed: number;
}

/** Per machine, not per task: a machine failed if any of its tasks failed, succeeded if all of them did. */
export function summarise(execution: Execution): ExecutionSummary {
  const byMachine = new Map<string, TargetResult["status"][]>();
  for (const step of execution.steps) {
    for (const t of step.targets) byMachine.set(t.target, [...(byMachine.get(t.target) ?? []), t.status]);
  }
  let succeeded = 0;
  let failed = 0;
  for (const statuses of byMachine.values()) {
    if (statuses.includes("Error")) failed++;
    else if (statuses.every((s) => s === "Success")) succeeded++;
  }
  return { Machines: byMachine.size, Succeeded: succeeded, Failed: failed };
}

export function executionResource(execution: Execution): Record<string, unknown> {
  return {
    "@odata.type": ODATA_TYPES.execution,
    "@odata.id": paths.execution(execution.jobId, execution.id),
    Id: execution.id,
    Name: `Execution ${execution.id}`,
    JobId: execution.jobId,
    State: execution.state,
    Health: execution.health,
    PercentComplete: execution.percentComplete,
    Trigger: execution.trigger,
    InitiatedBy: execution.initiatedBy,
    Reason: execution.reason,
    ScheduledTime: rfc3339(execution.scheduledFor),
    StartTime: rfc3339(execution.startedAt),
    EndTime: rfc3339(execution.endedAt),
    Summary: summarise(execution),
    ...(execution.revertOf !== undefined && { RevertOf: execution.revertOf }),
    ...(execution.rollout !== undefined && {
      Rollout: { Batch: execution.rollout.batch, Batches: execution.rollout.batches, Halted: execution.rollout.halted, Reason: execution.rollout.reason },
    }),
    Steps: execution.steps.map((s) => ({
      Name: s.name,
      Action: s.action,
      State: s.state,
      Machines: s.targets.map(machineToWire),
    })),
    Actions: {
      "#JobExecution.Cancel": { target: paths.executionCancel(execution.jobId, execution.id) },
      "#JobExecution.Revert": { target: `${paths.execution(execution.jobId, execution.id)}/Actions/Revert` },
      "#JobExecution.Resume": { target: `${paths.execution(execution.jobId, execution.id)}/Actions/Resume` },
    },
  };
}

/** Changes whenever the run moves on; a finished run keeps its tag. */
export function executionEtag(execution: Execution): string {
  return etagOfContent([execution.id, execution.state, execution.percentComplete, execution.endedAt]);
}
