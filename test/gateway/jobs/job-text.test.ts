import t from "tap";
import { jobEtag, jobResource } from "../../../gateway/jobs/job-resource.js";
import { JobTexts } from "../../../gateway/jobs/job-text.js";
import { lastRunOf } from "../../../gateway/jobs/last-run.js";
import { describeSchedule } from "../../../src/schedule/index.js";
import type { Scheduler } from "../../../src/scheduler/scheduler.js";
import { gate, harness, HOUR } from "../../scheduler/helpers.js";

/** What GET job answered before job-text: the object rendered from a copy of the job, as Koa serialises it. */
function uncached(scheduler: Scheduler, id: string): { etag: string; json: string } {
  const job = scheduler.getJob(id);
  const view = { running: scheduler.isJobRunning(id), lastRun: lastRunOf(scheduler, id), scheduleDescription: describeSchedule(job.schedule, { timeZone: scheduler.timeZone }) };
  return { etag: jobEtag(job), json: JSON.stringify(jobResource(job, view)) };
}

function cached(texts: JobTexts, scheduler: Scheduler, id: string): { etag: string; json: string } {
  return texts.render(scheduler.readJob(id), { running: scheduler.isJobRunning(id), lastRun: lastRunOf(scheduler, id) });
}

t.test("the text rendered from a job's cached definition is byte for byte the object rendering, in every state a job goes through", async (t) => {
  const { clock, scheduler } = await harness();
  const hold = gate();
  let holding = false;
  scheduler.defineAction("act", { run: async (ctx) => (holding ? await hold.promise : ctx.target) });
  const texts = new JobTexts((job) => describeSchedule(job.schedule, { timeZone: scheduler.timeZone }));
  const targets = Array.from({ length: 30 }, (_, i) => `m${i}`);
  const same = (id: string, what: string): void => {
    t.same(cached(texts, scheduler, id), uncached(scheduler, id), `${what}: first rendering`);
    t.same(cached(texts, scheduler, id), uncached(scheduler, id), `${what}: from the cache`);
  };

  const single = await scheduler.createJob({ name: "one", description: "one step", schedule: { type: "Cron", cron: "0 * * * *" }, steps: [{ action: "act", targets, payload: { a: 1 } }] });
  same(single.id, "single step, scheduled");
  const multi = await scheduler.createJob({
    name: "two",
    schedule: { type: "Manual" },
    steps: [
      { action: "act", targets: ["a", "b"] },
      { action: "act", targets: ["c"], mode: "ParallelWithPrevious", continueOnFailure: true },
    ],
    policy: { overlap: "Queue" },
    metadata: { team: "x" },
  });
  same(multi.id, "multi-step");
  const rollout = await scheduler.createJob({
    name: "canary",
    schedule: { type: "Manual" },
    steps: [{ action: "act", targets }],
    policy: { rollout: { canary: 1, batchSize: 5, maxFailurePercent: 10, pauseMs: 0, onHalt: "Stop" } },
  });
  same(rollout.id, "with a rollout");

  await scheduler.pauseJob(single.id, { reason: "maintenance" });
  same(single.id, "paused");
  await scheduler.resumeJob(single.id);
  same(single.id, "resumed");

  holding = true;
  const run = await scheduler.trigger(multi.id);
  await clock.advance(1);
  t.equal(scheduler.isJobRunning(multi.id), true);
  same(multi.id, "running");
  hold.open(undefined);
  await scheduler.waitForExecution(run.id);
  holding = false;
  same(multi.id, "after its run");

  const once = await scheduler.createJob({ name: "once", schedule: { type: "Once", time: "01:00", date: "2026-01-01" }, steps: [{ action: "act", targets: ["z"] }] });
  same(once.id, "Once, pending");
  await clock.advance(HOUR);
  await scheduler.waitForExecution(scheduler.listExecutions({ jobId: once.id }).items[0]?.id ?? "");
  t.match(JSON.parse(cached(texts, scheduler, once.id).json), { Status: "Completed", ExecutionCount: 1 });
  same(once.id, "Once, completed");

  await scheduler.cancelJob(single.id);
  same(single.id, "cancelled");
});

t.test("a run changes the rendered run fields but neither the ETag nor the cached definition; a change of definition renders it again", async (t) => {
  const { clock, scheduler } = await harness();
  scheduler.defineAction("act", { run: async (ctx) => ctx.target });
  let described = 0;
  const texts = new JobTexts((job) => (described++, describeSchedule(job.schedule)));
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "act", targets: ["a", "b"] }] });
  const before = cached(texts, scheduler, job.id);
  const run = await scheduler.trigger(job.id);
  await clock.advance(1);
  await scheduler.waitForExecution(run.id);
  const after = cached(texts, scheduler, job.id);
  t.equal(after.etag, before.etag, "a run leaves the ETag");
  t.match(JSON.parse(after.json), { ExecutionCount: 1, LastRun: { Id: run.id, State: "Completed" } });
  t.not(JSON.parse(after.json)["LastRunTime"], null);
  t.equal(described, 1, "the definition was rendered once");

  await scheduler.updateJob(job.id, { name: "renamed" });
  const renamed = cached(texts, scheduler, job.id);
  t.not(renamed.etag, before.etag, "a change of definition changes the ETag");
  t.match(JSON.parse(renamed.json), { Name: "renamed", "@odata.etag": renamed.etag });
  t.equal(described, 2);
});
