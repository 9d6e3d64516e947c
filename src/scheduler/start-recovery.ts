/**
 * At start, the runs the last process left Running or Pending (and that this
 * process is not driving) are closed as Interrupted and saved, so the history
 * says what happened and no run looks as if it were still going.
 */
import type { Execution } from "../executions/types.js";
import { plainCopy } from "../store/plain-copy.js";
import type { Store } from "../store/store.js";
import type { SchedulerEmitter } from "./events.js";
import { iso } from "./execution-record.js";
import { interruptedRun } from "./interrupted-run.js";

/** Saves every cut-off run as Interrupted, then emits executionInterrupted for each. */
export async function closeInterruptedRuns(store: Store, isLive: (executionId: string) => boolean, now: number, emitter: SchedulerEmitter): Promise<void> {
  const cutOff: Execution[] = [...store.listExecutions({ state: "Running" }).items, ...store.listExecutions({ state: "Pending" }).items].filter(
    (execution) => !isLive(execution.id),
  );
  const interrupted = cutOff.map((execution) => interruptedRun(execution, iso(now)));
  await Promise.all(interrupted.map((execution) => store.saveExecution(execution)));
  for (const execution of interrupted) emitter.emit("executionInterrupted", plainCopy(execution));
}
