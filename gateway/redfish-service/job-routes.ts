/**
 * /redfish/v1/JobService and its Jobs, as DMTF defines them: the same jobs
 * the MultiFish JobService holds, in DMTF's shape (dmtf-job.ts). A job is
 * deleted here as there; it is created, changed and run through either API.
 */
import { describeSchedule } from "../../src/schedule/index.js";
import type { Job } from "../../src/jobs/types.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { GatewayContext } from "../http/state.js";
import { lastRunOf } from "../jobs/last-run.js";
import { jobEtag } from "../jobs/job-resource.js";
import type { RunningJobs } from "../jobs/running-jobs.js";
import { RedfishError } from "../redfish/errors.js";
import { assertIfMatch, ifMatchSatisfied } from "../redfish/etag.js";
import { link } from "../redfish/render.js";
import { jobOr404 } from "../routes/job-lookup.js";
import { rethrow, type GatewayRouter } from "../routes/router.js";
import { renderMembers } from "./collection.js";
import { dmtfJob, dmtfStep, type DmtfJobView } from "./dmtf-job.js";
import { rfPaths } from "./paths.js";
import { odataType, SERVED } from "./types.js";

export interface JobRoutesDeps {
  scheduler: Scheduler;
  running: RunningJobs;
}

export function mountJobRoutes(router: GatewayRouter, { scheduler, running }: JobRoutesDeps): void {
  const view = (job: Job): DmtfJobView => ({
    running: running.isRunning(job.id),
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

  router.get(rfPaths.jobs, (ctx) => {
    const jobs = scheduler.listJobs().items;
    ctx.body = renderMembers(ctx, {
      odataId: rfPaths.jobs,
      odataType: odataType(SERVED.jobCollection),
      name: "Job Collection",
      memberIds: jobs.map((j) => rfPaths.job(j.id)),
    });
  });

  const member = `${rfPaths.jobs}/:jobId`;

  router.get(member, (ctx) => {
    const job = jobOr404(scheduler, ctx.params.jobId ?? "");
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

  const steps = (ctx: GatewayContext): Job => jobOr404(scheduler, ctx.params.jobId ?? "");

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
