/**
 * /MultiFish/v1/JobService: the service itself (worker pool size and live
 * load, GET and PATCH) and its PreviewSchedule action, which needs only the
 * schedule API: it validates a schedule exactly as job creation would and
 * lists when it would run, without creating anything.
 */
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import { describeSchedule, nextRuns, validateSchedule, type Schedule } from "../../src/schedule/index.js";
import { requireBody } from "../http/json-body.js";
import { bodyShape, scheduleFromWire } from "../jobs/spec-from-wire.js";
import { schedulePointerTranslator } from "../jobs/wire-pointers.js";
import type { WireSchedule } from "../jobs/wire-types.js";
import { jobServiceEtag, jobServiceResource, type JobServiceView } from "../jobs/job-service-resource.js";
import { assertIfMatch } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { rfc3339 } from "../redfish/render.js";
import { BODY_SCHEMAS, type SchemaSet } from "../validation/schemas.js";
import { rethrow, type GatewayRouter } from "./router.js";
import type { GatewayContext } from "../http/state.js";

export interface JobServiceDeps {
  scheduler: Scheduler;
  schemas: SchemaSet;
}

interface JobServicePatchBody {
  ServiceCapabilities?: { WorkerPoolSize?: number };
  /** What MultiFish's own README sends; MultiFish itself ignored it. */
  WorkerPoolSize?: number;
}

function view({ scheduler }: Pick<JobServiceDeps, "scheduler">): JobServiceView {
  return { pool: scheduler.pool, locks: scheduler.targetLocks, totalJobs: scheduler.listJobs({ limit: 0 }).total, runningJobs: scheduler.runningJobCount };
}

function respondWithService(ctx: GatewayContext, deps: JobServiceDeps): void {
  const v = view(deps);
  ctx.set("ETag", jobServiceEtag(v));
  ctx.body = jobServiceResource(v);
}

export function mountJobService(router: GatewayRouter, deps: JobServiceDeps): void {
  router.get(paths.jobService, (ctx) => respondWithService(ctx, deps));

  router.patch(paths.jobService, (ctx) => {
    assertIfMatch(ctx.get("If-Match") || undefined, jobServiceEtag({ pool: deps.scheduler.pool }));
    const body = deps.schemas.check<JobServicePatchBody>(BODY_SCHEMAS.jobServicePatch, requireBody(ctx.state.body));
    const size = body.ServiceCapabilities?.WorkerPoolSize ?? body.WorkerPoolSize;
    if (size !== undefined) {
      try {
        deps.scheduler.setWorkerPoolSize(size);
      } catch (error) {
        rethrow(error, { translate: () => (body.WorkerPoolSize !== undefined ? "#/WorkerPoolSize" : "#/ServiceCapabilities/WorkerPoolSize") });
      }
    }
    respondWithService(ctx, deps);
  });
}

export interface PreviewDeps {
  schemas: SchemaSet;
  /** The zone a schedule without TimeZone runs in: the scheduler's default (the host's when absent). */
  timeZone?: string | undefined;
  now?: () => Date;
}

interface PreviewBody {
  Schedule: WireSchedule;
  Count?: number;
  After?: string;
}

export const DEFAULT_PREVIEW_COUNT = 5;

/** The core's validation of a wire schedule, its errors pointing into the body. */
function checkedSchedule(body: { Schedule: WireSchedule }, now: Date, zone: { timeZone?: string }): Schedule {
  try {
    return validateSchedule(scheduleFromWire(body.Schedule), { now, ...zone });
  } catch (error) {
    return rethrow(error, { translate: schedulePointerTranslator(bodyShape(body)) });
  }
}

export function mountPreviewSchedule(router: GatewayRouter, deps: PreviewDeps): void {
  const now = deps.now ?? (() => new Date());
  const zone = deps.timeZone !== undefined ? { timeZone: deps.timeZone } : {};
  router.post(paths.previewSchedule, (ctx) => {
    const body = deps.schemas.check<PreviewBody>(BODY_SCHEMAS.previewSchedule, requireBody(ctx.state.body));
    const at = now();
    const schedule = checkedSchedule(body, at, zone);
    const after = body.After !== undefined ? new Date(body.After) : at;
    const runs = nextRuns(schedule, body.Count ?? DEFAULT_PREVIEW_COUNT, { after, ...zone });
    ctx.body = {
      Description: describeSchedule(schedule, zone),
      NextRunTimes: runs.map((d) => rfc3339(d.toISOString())),
    };
  });
}
