/**
 * A run whose driver died, made ready to go on elsewhere (cluster mode): the
 * targets that ended keep their results; those that were in flight or not
 * started yet are Pending again, keeping their attempts and first start. Their
 * action is called again, which for the gateway's BMC actions means reading
 * the machine first (an in-flight change that took effect is not made twice).
 */
import type { Execution } from "../executions/types.js";
import { plainCopy } from "../store/plain-copy.js";

export function reopenOrphaned(execution: Execution): Execution {
  const record = plainCopy(execution);
  for (const step of record.steps) {
    let open = false;
    for (const t of step.targets) {
      if (t.status === "Running") t.status = "Pending";
      if (t.status === "Pending") open = true;
    }
    if (open) step.state = "Pending";
  }
  record.state = "Pending";
  record.endedAt = null;
  return record;
}
