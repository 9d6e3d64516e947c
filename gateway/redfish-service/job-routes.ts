/**
 * /redfish/v1/JobService and its Jobs, as DMTF defines them: the same jobs
 * the MultiFish JobService holds, in DMTF's shape (dmtf-job.ts). A job is
 * deleted here as there; a DMTF body (Payload on an aggregated manager, or
 * several under Oem.Shoal.Payloads) creates one (dmtf-job-create.ts).
 */
import { describeSchedule } from "../../src/schedule/index.js";
import type { Job } from "../../src/jobs/types.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { GatewayContext } from "../http/state.js";
import { lastRunOf } from "../jobs/last-run.js";
import { jobEtag } from "../jobs/job-resource.js";
import { RedfishError } from "../redfish/errors.js";
import { assertIfMatch, ifMatchSatisfied } from "../redfish/etag.js";
import { link } from "../redfish/render.js";
import { jobOr404, readJobOr404 } from "../routes/job-lookup.js";
import { rethrow, type GatewayRouter } from "../routes/router.js";
import { renderMembers } from "./collection.js";
import { multiFishBodyOf, type DmtfJobCreateBody } from "./dmtf-job-create.js";
import { requireBody } from "../http/json-body.js";
import { createSteps, noRunLeftProblems, stepProblems } from "../jobs/job-checks.js";
import { withExpectedPayloads } from "../jobs/payload-examples.js";
import { jobSpecFromWire } from "../jobs/spec-from-wire.js";
import type { JobCreateBody } from "../jobs/wire-types.js";
import type { MachineRegistry } from "../platform/registry.js";
import { BODY_SCHEMAS, type SchemaSet } from "../validation/schemas.js";
import type { Problem } from "../redfish/errors.js";

export const DMTF_JOB_SCHEMA = "dmtf-job-create.json";
import { dmtfJob, dmtfStep, type DmtfJobView } from "./dmtf-job.js";
import { rfPaths } from "./paths.js";
import { odataType, SERVED } from "./types.js";

export interface JobRoutesDeps {
  scheduler: Scheduler;
  registry: MachineRegistry;
  schemas: SchemaSet;
}

/** The MultiFish checks' pointers into the steps made from a DMTF body, pointed back at the JsonBody each step came from. */
function pointBack(problems: readonly Problem[], sources: readonly string[]): Problem[] {
  return problems.map((p) => ({
    ...p,
    relatedProperties: (p.relatedProperties ?? []).map((r) => {
      const m = /^#\/Steps\/(\d+)/.exec(r);
      return m ? (sources[Number(m[1])] ?? "#/Payload") : r.startsWith("#/Schedule") ? "#/Schedule" : r;
    }),
  }));
}

export function mountJobRoutes(router: GatewayRouter, { scheduler, registry, schemas }: JobRoutesDeps): void {
  const view = (job: Job): DmtfJobView => ({
    running: scheduler.isJobRunning(job.id),
    lastRun: lastRunOf(scheduler, job.id),
    scheduleDescription: describeSchedule(job.schedule, { timeZone: scheduler.timeZone }),
    newest: scheduler.listExecutions({ jobId: job.id, limit: 1 }).items[0],
  });

  router.get(rfPaths.jobService, (ctx) => {
    ctx.body = {
      "@odata.type": odataType(SERVED.jobService),
      "@odata.id": rfPaths.jobService,
      Id: "JobService",
      Name: "Job Service",
      Description: "Shoal's scheduled jobs, as DMTF Jobs; the same jobs as /MultiFish/v1/JobService.",
      ServiceEnabled: true,
      DateTime: new Date(scheduler.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      ServiceCapabilities: { Scheduling: true, MaxSteps: 100 },
      Status: { State: "Enabled", Health: "OK" },
      Jobs: link(rfPaths.jobs),
    };
  });

  router.post(rfPaths.jobs, async (ctx) => {
    const body = schemas.check<DmtfJobCreateBody>(DMTF_JOB_SCHEMA, requireBody(ctx.state.body));
    const { wire, problems, manual, sources } = multiFishBodyOf(body, registry);
    if (problems.length > 0) throw RedfishError.badRequest(problems);
    const checked = [
      ...withExpectedPayloads(schemas.problems(BODY_SCHEMAS.jobCreate, wire), wire),
    ];
    if (checked.length === 0) {
      const typed = wire as unknown as JobCreateBody;
      checked.push(
        ...stepProblems(createSteps(typed), { schemas, registry, hasAction: (name) => scheduler.hasAction(name) }),
        ...noRunLeftProblems(typed.Schedule, { now: scheduler.clock.now(), timeZone: scheduler.timeZone }),
      );
    }
    if (checked.length > 0) throw RedfishError.badRequest(pointBack(checked, sources));
    const job = await scheduler.createJob(jobSpecFromWire(wire as unknown as JobCreateBody)).catch((e: unknown) => rethrow(e));
    if (manual) {
      const who = ctx.state.principal ? `api:${ctx.state.principal}` : "api";
      await scheduler.trigger(job.id, { initiatedBy: who }).catch((e: unknown) => rethrow(e));
    }
    ctx.status = 201;
    ctx.set("Location", rfPaths.job(job.id));
    ctx.set("ETag", jobEtag(job));
    ctx.body = dmtfJob(scheduler.getJob(job.id), view(scheduler.getJob(job.id)));
  });

  router.get(rfPaths.jobs, (ctx) => {
    // The ids are all it needs: no copy of every job (some span thousands of machines).
    const jobs = scheduler.readJobs();
    ctx.body = renderMembers(ctx, {
      odataId: rfPaths.jobs,
      odataType: odataType(SERVED.jobCollection),
      name: "Job Collection",
      memberIds: jobs.map((j) => rfPaths.job(j.id)),
    });
  });

  const member = `${rfPaths.jobs}/:jobId`;

  router.get(member, (ctx) => {
    const job = readJobOr404(scheduler, ctx.params.jobId ?? "");
    ctx.set("ETag", jobEtag(job));
    ctx.body = dmtfJob(job, view(job));
  });

  router.delete(member, async (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
    assertIfMatch(ctx.get("If-Match") || undefined, jobEtag(job));
    const ifMatch = ctx.get("If-Match") || undefined;
    await scheduler
      .deleteJob(job.id, ifMatch === undefined ? {} : { precondition: (current) => ifMatchSatisfied(ifMatch, jobEtag(current)) })
      .catch((e: unknown) => rethrow(e));
    ctx.status = 204;
  });

  const steps = (ctx: GatewayContext): Readonly<Job> => readJobOr404(scheduler, ctx.params.jobId ?? "");

  router.get(`${member}/Steps`, (ctx) => {
    const job = steps(ctx);
    ctx.body = renderMembers(ctx, {
      odataId: `${rfPaths.job(job.id)}/Steps`,
      odataType: odataType(SERVED.jobCollection),
      name: "Job Step Collection",
      memberIds: job.steps.map((_, i) => `${rfPaths.job(job.id)}/Steps/${i + 1}`),
    });
  });

  router.get(`${member}/Steps/:stepId`, (ctx) => {
    const job = steps(ctx);
    const text = ctx.params.stepId ?? "";
    const index = /^[1-9]\d{0,3}$/.test(text) ? Number(text) - 1 : -1;
    const step = job.steps[index];
    if (!step) throw RedfishError.resourceNotFound("Job", `${job.id}/Steps/${text}`);
    ctx.body = dmtfStep(job, index, step, scheduler.listExecutions({ jobId: job.id, limit: 1 }).items[0]);
  });
}
