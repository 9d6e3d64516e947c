/**
 * Puts the five BMC actions into the scheduler. For each task the action
 * looks its target up in the machine registry, runs over the shared Redfish
 * client, and once the task is over (retries included) writes the machine's
 * result file; each finished execution gets a summary file (a run cut short by
 * a crash gets its summary when the next process starts).
 *
 * Nothing is sent to a BMC when results cannot be recorded: the results
 * directory is checked first, and an unwritable one fails the task with the
 * reason instead of leaving a change on a machine that no file reports.
 */
import type { Execution, TargetResult } from "../../src/executions/types.js";
import type { Scheduler } from "../../src/scheduler/index.js";
import type { Logger } from "../log.js";
import type { MachineRegistry } from "../platform/registry.js";
import { outcomeFields } from "../results/task-outcome.js";
import type { MachineResult, ResultWriter, SummaryMachine } from "../results/result-writer.js";
import type { ManagerSnapshot } from "./actions/property-paths.js";
import { BMC_ACTIONS } from "./actions/index.js";
import type { RedfishClient } from "./client.js";
import { BmcError } from "./errors.js";
import { ThreadTransport } from "./thread-transport.js";

export interface BmcActionDeps {
  registry: MachineRegistry;
  client: RedfishClient;
  results: ResultWriter;
  log?: Logger;
}

/** The key under which a target's result file name is kept on its result. */
export const RESULT_FILE = "resultFile";

export function registerBmcActions(scheduler: Scheduler, deps: BmcActionDeps): void {
  const { registry, client, results, log } = deps;
  // One check of the results directory per execution, not one per machine.
  const checked = new Map<string, Promise<void>>();
  const checkResults = (executionId: string): Promise<void> => {
    let check = checked.get(executionId);
    if (!check) checked.set(executionId, (check = results.check()));
    return check;
  };

  const machineOf = (target: string) => {
    const machine = registry.get(target);
    if (!machine) throw new BmcError({ type: "ResourceNotFound", transient: false, machineId: target, message: `Machine ${target} is no longer registered` });
    return machine;
  };

  // A client on the BMC I/O thread runs each task there whole: one round trip between threads instead of one per request.
  // Asked per task: the client may be a stand-in that changes what it forwards to.
  const onThread = (): ThreadTransport | undefined => (client.transport instanceof ThreadTransport ? client.transport : undefined);

  for (const action of BMC_ACTIONS) {
    scheduler.defineAction(action.name, {
      async run(ctx) {
        await checkResults(ctx.execution.id);
        const machine = machineOf(ctx.target);
        const thread = onThread();
        if (thread) return thread.runAction("run", action.name, { machine, payload: ctx.payload, signal: ctx.signal });
        return action.run({ machine, payload: ctx.payload as never, signal: ctx.signal, client });
      },
      async plan(ctx) {
        const machine = registry.get(ctx.target);
        if (!machine) return { outcome: "Refused", message: `Machine ${ctx.target} is not registered` };
        const thread = onThread();
        if (thread) return thread.runAction("plan", action.name, { machine, payload: ctx.payload, signal: ctx.signal });
        return action.plan({ machine, payload: ctx.payload as never, signal: ctx.signal, client });
      },
      async revert(ctx) {
        await checkResults(ctx.execution.id);
        const machine = machineOf(ctx.target);
        const snapshot = { before: ctx.before as ManagerSnapshot, after: ctx.after as ManagerSnapshot };
        const thread = onThread();
        if (thread) return thread.runAction("revert", action.name, { machine, payload: ctx.payload, signal: ctx.signal, ...snapshot });
        return action.revert({ machine, payload: ctx.payload as never, signal: ctx.signal, client, ...snapshot });
      },
      async afterTask(ctx) {
        if (ctx.result.attempts === 0) return; // never started: nothing happened on the machine
        const { requests, errorType, errorDetail } = outcomeFields(ctx.result);
        const file = await results.writeMachineResult({
          jobId: ctx.job.id,
          executionId: ctx.execution.id,
          machineId: ctx.target,
          action: action.name,
          step: ctx.step.name,
          status: ctx.result.ok ? "Success" : "Error",
          message: messageOf(ctx.result),
          startedAt: ctx.result.startedAt ?? ctx.result.endedAt ?? new Date().toISOString(),
          endedAt: ctx.result.endedAt ?? new Date().toISOString(),
          attempts: ctx.result.attempts,
          payload: ctx.payload,
          errorType,
          errorDetail,
          requests,
          ...changeFields(ctx.result),
        });
        return { [RESULT_FILE]: file };
      },
    });
  }

  const writeSummary = (execution: Execution): void => {
    checked.delete(execution.id);
    if (!execution.steps.some((s) => BMC_ACTIONS.some((a) => a.name === s.action))) return;
    results.writeSummary(summaryOf(execution)).catch((error: unknown) => {
      log?.error("could not write the execution summary", { executionId: execution.id, error: String(error) });
    });
  };
  scheduler.on("executionFinished", writeSummary);
  // A run the previous process was killed in the middle of gets its summary at the next start.
  scheduler.on("executionInterrupted", writeSummary);
}

/** Changed, Before and After for the result file, when the run reported them. */
function changeFields(result: TargetResult): Pick<MachineResult, "changed" | "before" | "after"> {
  if (result.changed === undefined) return {};
  return { changed: result.changed, before: result.before ?? null, after: result.after ?? null };
}

function messageOf(result: TargetResult): string {
  if (result.error) return result.error.message;
  const output = result.output as { message?: unknown } | undefined;
  return typeof output?.message === "string" ? output.message : "OK";
}

function summaryOf(execution: Execution): Parameters<ResultWriter["writeSummary"]>[0] {
  const machines: SummaryMachine[] = execution.steps.flatMap((step) =>
    step.targets.map((t) => ({
      machineId: t.target,
      step: step.name,
      action: step.action,
      status: t.status,
      attempts: t.attempts,
      errorType: t.error?.type ?? null,
      message: t.error?.message ?? null,
      resultFile: typeof t.annotations?.[RESULT_FILE] === "string" ? (t.annotations[RESULT_FILE] as string) : null,
    })),
  );
  return {
    jobId: execution.jobId,
    executionId: execution.id,
    state: execution.state,
    health: execution.health,
    trigger: execution.trigger,
    reason: execution.reason,
    scheduledFor: execution.scheduledFor,
    startedAt: execution.startedAt,
    endedAt: execution.endedAt,
    machines,
  };
}
