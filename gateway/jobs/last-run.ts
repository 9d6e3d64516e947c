/**
 * The job's last run that actually ran (not Skipped, not still going), with
 * its id and end: what the Job resource's LastRun shows. Read newest first a
 * page at a time, so the usual case (the newest run) costs one short page.
 */
import { isFinal } from "../../src/executions/types.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { LastRun } from "./job-resource.js";

const PAGE = 20;

export function lastRunOf(scheduler: Scheduler, jobId: string): LastRun | undefined {
  for (let offset = 0; ; offset += PAGE) {
    const page = scheduler.listExecutions({ jobId, offset, limit: PAGE });
    const found = page.items.find((e) => e.state !== "Skipped" && isFinal(e.state));
    if (found) return { id: found.id, state: found.state, health: found.health, endedAt: found.endedAt };
    if (offset + PAGE >= page.total) return undefined;
  }
}
