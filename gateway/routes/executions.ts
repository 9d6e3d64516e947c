/**
 * /MultiFish/v1/JobService/Jobs/{jobId}/Executions: a job's run history,
 * newest first, each run with its per-step, per-machine results, the
 * Cancel action of a run in progress, Revert (undo what a run changed) and
 * Resume (go on with a halted rollout).
 */
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { GatewayContext } from "../http/state.js";
import { executionEtag, executionResource } from "../jobs/execution-resource.js";
import { paths } from "../redfish/paths.js";
import { ODATA_TYPES, parsePage, renderCollection, wantsExpand } from "../redfish/render.js";
import type { Execution } from "../../src/executions/types.js";
import { executionOr404, jobOr404 } from "./job-lookup.js";
import { assertIfMatch } from "../redfish/etag.js";
import { rethrow, type GatewayRouter } from "./router.js";

/** "api", or "api:<user>" when the request authenticated as someone. */
function initiatedBy(ctx: GatewayContext): string {
  return ctx.state.principal ? `api:${ctx.state.principal}` : "api";
}

export interface ExecutionsDeps {
  scheduler: Scheduler;
}

function respondWithExecution(ctx: GatewayContext, execution: Execution): void {
  ctx.set("ETag", executionEtag(execution));
  ctx.body = executionResource(execution);
}

export function mountExecutions(router: GatewayRouter, { scheduler }: ExecutionsDeps): void {
  const collection = `${paths.jobs}/:jobId/Executions`;
  const member = `${collection}/:executionId`;

  router.get(collection, (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    const page = parsePage(ctx.query);
    const executions = scheduler.listExecutions({ jobId: job.id, offset: page.offset, limit: page.limit });
    ctx.body = renderCollection({
      odataId: paths.executions(job.id),
      odataType: ODATA_TYPES.executionCollection,
      name: `Executions of ${job.name}`,
      memberIds: executions.items.map((e) => paths.execution(job.id, e.id)),
      total: executions.total,
      page,
      ...(wantsExpand(ctx.query) ? { expanded: executions.items.map((e) => executionResource(e)) } : {}),
    });
  });

  router.get(member, (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    respondWithExecution(ctx, executionOr404(scheduler, job.id, ctx.params.executionId ?? ""));
  });

  // A new run of the job that sets back what this run changed, where nobody changed it since.
  router.post(`${member}/Actions/Revert`, async (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    const source = executionOr404(scheduler, job.id, ctx.params.executionId ?? "");
    assertIfMatch(ctx.get("If-Match") || undefined, executionEtag(source));
    const revert = await scheduler.revertExecution(source.id, { initiatedBy: initiatedBy(ctx) }).catch((e: unknown) => rethrow(e));
    ctx.status = 202;
    ctx.set("Location", paths.execution(job.id, revert.id));
    respondWithExecution(ctx, revert);
  });

  // A halted rollout goes on with the machines it skipped, in the same execution.
  router.post(`${member}/Actions/Resume`, async (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    const halted = executionOr404(scheduler, job.id, ctx.params.executionId ?? "");
    assertIfMatch(ctx.get("If-Match") || undefined, executionEtag(halted));
    const resumed = await scheduler.resumeExecution(halted.id).catch((e: unknown) => rethrow(e));
    ctx.status = 202;
    ctx.set("Location", paths.execution(job.id, resumed.id));
    respondWithExecution(ctx, resumed);
  });

  // Resolves once the run has ended (the core ends a cancelled run within a second).
  router.post(`${member}/Actions/Cancel`, async (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    const execution = executionOr404(scheduler, job.id, ctx.params.executionId ?? "");
    respondWithExecution(ctx, await scheduler.cancelExecution(execution.id).catch((e: unknown) => rethrow(e)));
  });
}
