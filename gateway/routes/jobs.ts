/**
 * /MultiFish/v1/JobService/Jobs: the job collection, each job, and its
 * Trigger and Cancel actions.
 *
 * Creating (and changing) a job checks, in this order, stopping at the first
 * stage that finds anything: the body's JSON Schema; then together that each
 * step's action is defined, each payload against its action's schema, that
 * every machine is registered, that each machine's Type can run the action,
 * and that the schedule has a run left; then what the core checks (the
 * schedule is valid). Every problem is one ExtendedInfo entry
 * pointing into the body.
 */
import { describeSchedule } from "../../src/schedule/index.js";
import type { Job } from "../../src/jobs/types.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import { requireBody } from "../http/json-body.js";
import type { GatewayContext } from "../http/state.js";
import { executionResource } from "../jobs/execution-resource.js";
import { createSteps, noRunLeftProblems, patchSteps, stepProblems } from "../jobs/job-checks.js";
import { jobEtag, jobResource } from "../jobs/job-resource.js";
import { JobTexts } from "../jobs/job-text.js";
import { lastRunOf } from "../jobs/last-run.js";
import { withExpectedPayloads } from "../jobs/payload-examples.js";
import { duplicateNameWarning } from "../jobs/duplicate-name.js";
import { bodyShape, jobPatchFromWire, jobSpecFromWire, patchConflicts } from "../jobs/spec-from-wire.js";
import { jobPointerTranslator } from "../jobs/wire-pointers.js";
import { PlanCache, planPath, planResource } from "../jobs/plan-resource.js";
import { duplicatesOf, duplicateWarnings } from "../jobs/duplicate-jobs.js";
import type { JobCreateBody, JobPatchBody, PlanBody } from "../jobs/wire-types.js";
import type { MachineRegistry } from "../platform/registry.js";
import { extendedInfo, RedfishError, type Problem } from "../redfish/errors.js";
import { assertIfMatch, ifMatchSatisfied } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { ODATA_TYPES, parsePage, renderCollection, wantsExpand } from "../redfish/render.js";
import { BODY_SCHEMAS, type SchemaSet } from "../validation/schemas.js";
import { jobOr404, readJobOr404 } from "./job-lookup.js";
import { rethrow, type GatewayRouter } from "./router.js";

export interface JobsDeps {
  scheduler: Scheduler;
  registry: MachineRegistry;
  schemas: SchemaSet;
}

function jobBody(deps: JobsDeps, job: Job): Record<string, unknown> {
  return jobResource(job, {
    running: deps.scheduler.isJobRunning(job.id),
    lastRun: lastRunOf(deps.scheduler, job.id),
    scheduleDescription: describeSchedule(job.schedule, { timeZone: deps.scheduler.timeZone }),
  });
}

function respondWithJob(ctx: GatewayContext, deps: JobsDeps, job: Job): void {
  ctx.set("ETag", jobEtag(job));
  ctx.body = jobBody(deps, job);
}

function scheduleContext(scheduler: Scheduler): { now: number; timeZone: string } {
  return { now: scheduler.clock.now(), timeZone: scheduler.timeZone };
}

function refuse(problems: readonly Problem[]): void {
  if (problems.length > 0) throw RedfishError.badRequest(problems);
}

/** "api", or "api:<user>" when the request authenticated as someone. */
function initiatedBy(ctx: GatewayContext): string {
  return ctx.state.principal ? `api:${ctx.state.principal}` : "api";
}

/**
 * The client's If-Match, checked by the core at the moment it writes (after
 * any change to the job still being saved): the check above answers early,
 * this one makes the loser of two racing requests with the same tag a 412.
 * Without If-Match the last change wins, as HTTP has it.
 */
function ifMatchAtWrite(ctx: GatewayContext): { precondition?: (job: Job) => boolean } {
  const header = ctx.get("If-Match") || undefined;
  return header === undefined ? {} : { precondition: (job) => ifMatchSatisfied(header, jobEtag(job)) };
}

/** Machines named in a Plan body that the job does not target. */
function foreignMachines(job: Job, machines: readonly string[] | undefined): Problem[] {
  const own = new Set(job.steps.flatMap((s) => s.targets));
  return (machines ?? []).flatMap((m, i): Problem[] => (own.has(m) ? [] : [{ key: "PropertyValueNotInList", args: [m, "Machines"], relatedProperties: [`#/Machines/${i}`] }]));
}

export function mountJobs(router: GatewayRouter, deps: JobsDeps): void {
  const { scheduler, schemas } = deps;
  const plans = new PlanCache();
  const texts = new JobTexts((job) => describeSchedule(job.schedule, { timeZone: scheduler.timeZone }));
  const jobPath = `${paths.jobs}/:jobId`;

  router.get(paths.jobs, (ctx) => {
    const page = parsePage(ctx.query);
    const jobs = scheduler.listJobs({ offset: page.offset, limit: page.limit });
    ctx.body = renderCollection({
      odataId: paths.jobs,
      odataType: ODATA_TYPES.jobCollection,
      name: "Job Collection",
      memberIds: jobs.items.map((j) => paths.job(j.id)),
      total: jobs.total,
      page,
      ...(wantsExpand(ctx.query) ? { expanded: jobs.items.map((j) => jobBody(deps, j)) } : {}),
    });
  });

  router.post(paths.jobs, async (ctx) => {
    const raw = requireBody(ctx.state.body);
    refuse(withExpectedPayloads(schemas.problems(BODY_SCHEMAS.jobCreate, raw), raw));
    const body = raw as unknown as JobCreateBody;
    refuse([...stepProblems(createSteps(body), { ...deps, hasAction: (name) => scheduler.hasAction(name) }), ...noRunLeftProblems(body.Schedule, scheduleContext(scheduler))]);
    const job = await scheduler.createJob(jobSpecFromWire(body)).catch((e: unknown) => rethrow(e, { translate: jobPointerTranslator(bodyShape(body)) }));
    ctx.status = 201;
    ctx.set("Location", paths.job(job.id));
    respondWithJob(ctx, deps, job);
    const warnings: unknown[] = duplicateWarnings(job, duplicatesOf(job, scheduler.readJobs())).map(extendedInfo);
    const sameName = duplicateNameWarning(scheduler, job);
    if (sameName) warnings.push(sameName);
    if (warnings.length > 0) (ctx.body as Record<string, unknown>)["@Message.ExtendedInfo"] = warnings;
  });

  // Read in place and answered as text: a client polling a job over thousands of machines costs no copy of it.
  router.get(jobPath, (ctx) => {
    const job = readJobOr404(scheduler, ctx.params.jobId ?? "");
    const text = texts.render(job, { running: scheduler.isJobRunning(job.id), lastRun: lastRunOf(scheduler, job.id) });
    ctx.set("ETag", text.etag);
    ctx.type = "json";
    ctx.body = text.json;
  });

  router.patch(jobPath, async (ctx) => {
    const current = jobOr404(scheduler, ctx.params.jobId ?? "");
    assertIfMatch(ctx.get("If-Match") || undefined, jobEtag(current));
    const body = schemas.check<JobPatchBody>(BODY_SCHEMAS.jobPatch, requireBody(ctx.state.body));
    refuse(patchConflicts(body, current));
    refuse([...stepProblems(patchSteps(body, current), { ...deps, hasAction: (name) => scheduler.hasAction(name) }), ...noRunLeftProblems(body.Schedule, scheduleContext(scheduler))]);
    const job = await scheduler
      .updateJob(current.id, jobPatchFromWire(body, current), ifMatchAtWrite(ctx))
      .catch((e: unknown) => rethrow(e, { translate: jobPointerTranslator(bodyShape(body)) }));
    respondWithJob(ctx, deps, job);
  });

  router.delete(jobPath, async (ctx) => {
    const current = jobOr404(scheduler, ctx.params.jobId ?? "");
    assertIfMatch(ctx.get("If-Match") || undefined, jobEtag(current));
    await scheduler.deleteJob(current.id, ifMatchAtWrite(ctx)).catch((e: unknown) => rethrow(e));
    ctx.body = {
      Message: `Job '${current.id}' was deleted.`,
      "@Message.ExtendedInfo": [extendedInfo({ key: "Success" })],
    };
  });

  router.post(`${jobPath}/Actions/Trigger`, async (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    const execution = await scheduler.trigger(job.id, { initiatedBy: initiatedBy(ctx) }).catch((e: unknown) => rethrow(e));
    ctx.status = 202;
    ctx.set("Location", paths.execution(job.id, execution.id));
    ctx.body = executionResource(execution);
  });

  // MultiFish's Cancel: the job stops scheduling for good; a run in progress finishes.
  router.post(`${jobPath}/Actions/Cancel`, async (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    respondWithJob(ctx, deps, await scheduler.cancelJob(job.id).catch((e: unknown) => rethrow(e)));
  });

  // A dry run: every machine read, nothing sent. Later pages come from the kept plan.
  router.post(`${jobPath}/Actions/Plan`, async (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    const body = schemas.check<PlanBody>("job-plan.json", ctx.state.body ?? {});
    refuse(foreignMachines(job, body.Machines));
    const plan = await scheduler.planJob(job.id, body.Machines ? { targets: body.Machines } : {}).catch((e: unknown) => rethrow(e));
    const planId = plans.add(plan);
    ctx.set("Location", planPath(job.id, planId));
    ctx.body = planResource(plan, planId, parsePage(ctx.query));
  });

  router.get(`${jobPath}/Plans/:planId`, (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    const plan = plans.get(job.id, ctx.params.planId ?? "");
    if (!plan) throw RedfishError.resourceNotFound("JobPlan", ctx.params.planId ?? "");
    ctx.body = planResource(plan, ctx.params.planId ?? "", parsePage(ctx.query));
  });

  router.post(`${jobPath}/Actions/:action`, (ctx) => {
    jobOr404(scheduler, ctx.params.jobId ?? "");
    throw new RedfishError(400, [{ key: "ActionNotSupported", args: [ctx.params.action ?? ""] }]);
  });
}
