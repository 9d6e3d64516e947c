/**
 * GET .../Executions/{executionId}/Log: the run's log as JSON lines, paged
 * with $skip/$top like collections; the total is in X-Total-Count and the
 * next page in a Link header (rel="next").
 */
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import { paths } from "../redfish/paths.js";
import { parsePage } from "../redfish/render.js";
import { executionOr404, jobOr404 } from "../routes/job-lookup.js";
import type { GatewayRouter } from "../routes/router.js";
import type { RunLog } from "./run-log.js";

export function runLogPath(jobId: string, executionId: string): string {
  return `${paths.execution(jobId, executionId)}/Log`;
}

export function mountRunLogRoutes(router: GatewayRouter, { scheduler, runLog }: { scheduler: Scheduler; runLog: RunLog }): void {
  router.get(`${paths.jobs}/:jobId/Executions/:executionId/Log`, async (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    const execution = executionOr404(scheduler, job.id, ctx.params.executionId ?? "");
    const page = parsePage(ctx.query);
    const entries = await runLog.read(execution.id);
    const slice = entries.slice(page.offset, page.offset + page.limit);
    ctx.set("X-Total-Count", String(entries.length));
    const next = page.offset + slice.length;
    if (slice.length > 0 && next < entries.length) {
      ctx.set("Link", `<${runLogPath(job.id, execution.id)}?$skip=${next}${page.explicitTop ? `&$top=${page.limit}` : ""}>; rel="next"`);
    }
    ctx.type = "application/x-ndjson";
    ctx.body = slice.map((e) => `${JSON.stringify(e)}\n`).join("");
  });
}
