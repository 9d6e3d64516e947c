import t from "tap";
import { ShoalError, type ErrorDetail } from "../../src/errors.js";
import type { Execution } from "../../src/executions/types.js";
import type { Job, JobSpec } from "../../src/jobs/types.js";
import { settle } from "../../src/scheduler/clock.js";
import { DAY, HOUR, T0, harness, heldAction, iso } from "./helpers.js";

async function setup() {
  const h = await harness();
  h.scheduler.defineAction("noop", { async run() { return "ok"; } });
  h.scheduler.defineAction("setSpeed", {
    validate(payload) {
      const speed = (payload as { speed?: unknown } | undefined)?.speed;
      if (typeof speed !== "number") {
        throw ShoalError.validation([{ path: "/speed", kind: "type", message: "must be a number" }]);
      }
    },
    async run() {},
  });
  h.scheduler.defineAction("machinesOnly", {
    validate(_payload, target) {
      if (!target.startsWith("server-")) throw new Error(`${target} is not a known machine`);
    },
    async run() {},
  });
  return h;
}

const good: JobSpec = { name: "fans", schedule: { type: "Cron", cron: "0 6 * * *" }, steps: [{ action: "noop", targets: ["server-1"] }] };

async function detailsOf(promise: Promise<unknown>): Promise<ErrorDetail[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShoalError && error.code === "ValidationError") return error.details;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

t.test("createJob refuses a bad spec with one JSON pointer per problem", async (t) => {
  const { scheduler } = await setup();
  const details = await detailsOf(
    scheduler.createJob({
      name: "bad",
      schedule: { type: "Once", time: "25:00" },
      steps: [
        { action: "nope", targets: ["server-1"], mode: "ParallelWithPrevious" },
        { action: "noop", targets: [] },
        { action: "setSpeed", targets: ["server-1"], payload: { speed: "fast" } },
        { action: "machinesOnly", targets: ["server-1", "toaster"] },
      ],
    }),
  );
  const paths = details.map((d) => d.path);
  t.same(paths.sort(), ["/schedule/time", "/steps/0/action", "/steps/0/mode", "/steps/1/targets", "/steps/2/payload/speed", "/steps/3/payload"].sort());
  t.match(details.find((d) => d.path === "/steps/3/payload")?.message, /toaster is not a known machine/);
  t.same(scheduler.listJobs().total, 0, "nothing was created");
});

t.test("createJob refuses unknown properties, a missing name and bad policies", async (t) => {
  const { scheduler } = await setup();
  const details = await detailsOf(
    scheduler.createJob({
      schedule: { type: "Manual" },
      steps: [{ action: "noop", targets: ["a", "a"], continueOnFaliure: true }],
      policy: { overlap: "Sometimes", retry: { maxAttempts: 0 }, taskTimeoutMs: -1 },
    } as unknown as JobSpec),
  );
  t.same(
    details.map((d) => d.path).sort(),
    ["/name", "/policy/overlap", "/policy/retry/maxAttempts", "/policy/taskTimeoutMs", "/steps/0/continueOnFaliure", "/steps/0/targets/1"].sort(),
  );
});

t.test("a job gets a generated, sortable, URL-safe id unless it brings its own; duplicates are refused", async (t) => {
  const { scheduler } = await setup();
  const a = await scheduler.createJob(good);
  const b = await scheduler.createJob(good);
  t.match(a.id, /^Job-[0-9a-z-]+$/);
  t.ok(a.id < b.id, "later ids sort after earlier ones");
  const own = await scheduler.createJob({ ...good, id: "nightly-fans" });
  t.equal(own.id, "nightly-fans");
  await t.rejects(scheduler.createJob({ ...good, id: "nightly-fans" }), { code: "AlreadyExists" });
  await t.rejects(scheduler.createJob({ ...good, id: "../etc" }), { code: "ValidationError" });
  t.throws(() => scheduler.getJob("Job-nope"), { code: "NotFound" });
  await t.rejects(scheduler.updateJob("Job-nope", { name: "x" }), { code: "NotFound" });
  await t.rejects(scheduler.deleteJob("Job-nope"), { code: "NotFound" });
  await t.rejects(scheduler.trigger("Job-nope"), { code: "NotFound" });
});

t.test("a job carries defaults and bookkeeping", async (t) => {
  const { scheduler } = await setup();
  const job = await scheduler.createJob({ ...good, metadata: { wire: { Name: "fans" } } });
  t.match(job, {
    name: "fans",
    description: null,
    enabled: true,
    pausedReason: null,
    cancelled: false,
    policy: { overlap: "Skip", misfire: "RunOnce" },
    createdAt: iso(T0),
    updatedAt: iso(T0),
    lastRunAt: null,
    nextRunAt: iso(T0 + 6 * HOUR),
    runCount: 0,
    metadata: { wire: { Name: "fans" } },
  });
  t.same(job.steps, [{ name: "Step 1", action: "noop", targets: ["server-1"], mode: "Sequential", continueOnFailure: false }]);
});

t.test("an invalid patch changes nothing; a valid one re-validates only what it touches", async (t) => {
  const { clock, scheduler } = await setup();
  const job = await scheduler.createJob({ ...good, schedule: { type: "Once", date: "2026-01-01", time: "06:00" } });
  const details = await detailsOf(scheduler.updateJob(job.id, { name: "renamed", steps: [{ action: "setSpeed", targets: ["server-1"], payload: {} }] }));
  t.same(details.map((d) => d.path), ["/steps/0/payload/speed"]);
  t.same(scheduler.getJob(job.id), job, "unchanged");
  await clock.advance(DAY);
  const renamed = await scheduler.updateJob(job.id, { name: "renamed" });
  t.equal(renamed.name, "renamed", "the passed Once date is not re-checked by a rename");
  t.equal(renamed.updatedAt, iso(T0 + DAY));
});

t.test("a schedule change recomputes nextRunAt and re-arms the timer", async (t) => {
  const { clock, scheduler } = await setup();
  const runs: number[] = [];
  scheduler.defineAction("mark", { async run() { runs.push(clock.now()); } });
  const job = await scheduler.createJob({ ...good, steps: [{ action: "mark", targets: ["m"] }] });
  const moved = await scheduler.updateJob(job.id, { schedule: { type: "Cron", cron: "30 2 * * *" } });
  t.equal(moved.nextRunAt, iso(T0 + 2.5 * HOUR));
  await clock.advance(7 * HOUR);
  t.same(runs, [T0 + 2.5 * HOUR], "the old 06:00 run is gone");
  const policy = await scheduler.updateJob(job.id, { policy: { overlap: "Allow" } });
  t.same(policy.policy, { overlap: "Allow", misfire: "RunOnce" }, "policy merges key by key");
});

t.test("cancelJob stops scheduling for good while a run in progress finishes", async (t) => {
  const { clock, scheduler } = await setup();
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, steps: [{ action: "held", targets: ["m"] }] });
  await clock.advance(HOUR);
  const cancelled = await scheduler.cancelJob(job.id);
  t.match(cancelled, { cancelled: true, nextRunAt: null });
  held.release();
  await settle();
  const [run] = scheduler.listExecutions({ jobId: job.id }).items;
  t.equal(run!.state, "Completed", "the running execution finished normally");
  await clock.advance(5 * HOUR);
  t.equal(held.calls.length, 1, "no further runs");
  t.equal(scheduler.getJob(job.id).cancelled, true);
  await t.rejects(scheduler.resumeJob(job.id), { code: "Conflict" });
  await t.rejects(scheduler.trigger(job.id), { code: "Conflict" });
});

t.test("deleteJob removes the job and its history and cancels its runs", async (t) => {
  const { scheduler, store } = await setup();
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m"] }] });
  const run = await scheduler.trigger(job.id);
  const finished: Execution[] = [];
  scheduler.on("executionFinished", (e) => finished.push(e));
  await scheduler.deleteJob(job.id);
  t.equal(finished[0]?.state, "Cancelled");
  t.equal(finished[0]?.reason, "JobDeleted");
  t.throws(() => scheduler.getJob(job.id), { code: "NotFound" });
  t.equal(store.listExecutions({ jobId: job.id }).total, 0);
  t.throws(() => scheduler.getExecution(run.id), { code: "NotFound" });
  t.same(store.listJobs(), []);
});

t.test("listJobs filters by enabled and pages in creation order", async (t) => {
  const { scheduler } = await setup();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await scheduler.createJob({ ...good, name: `j${i}`, enabled: i % 2 === 0 })).id);
  t.same(scheduler.listJobs().items.map((j) => j.id), ids);
  t.same(scheduler.listJobs({ enabled: false }).items.map((j) => j.name), ["j1", "j3"]);
  const page = scheduler.listJobs({ offset: 1, limit: 2 });
  t.same([page.total, page.items.map((j) => j.name)], [5, ["j1", "j2"]]);
});

t.test("events tell the job and execution lifecycle with copies of the records", async (t) => {
  const { scheduler } = await setup();
  const seen: string[] = [];
  scheduler.on("jobCreated", (j: Job) => seen.push(`jobCreated ${j.name}`));
  scheduler.on("jobUpdated", (j) => seen.push(`jobUpdated ${j.name}`));
  scheduler.on("jobDeleted", (j) => seen.push(`jobDeleted ${j.name}`));
  scheduler.on("executionStarted", (e) => seen.push(`executionStarted ${e.state}`));
  scheduler.on("taskFinished", (e) => seen.push(`taskFinished ${e.result.target} ${e.result.status}`));
  scheduler.on("executionFinished", (e) => {
    seen.push(`executionFinished ${e.state}`);
    e.state = "Failed";
  });
  const job = await scheduler.createJob({ ...good, steps: [{ action: "noop", targets: ["a", "b"] }] });
  const run = await scheduler.trigger(job.id);
  await scheduler.waitForExecution(run.id);
  await scheduler.updateJob(job.id, { name: "renamed" });
  await scheduler.deleteJob(job.id);
  t.same(seen, [
    "jobCreated fans",
    "executionStarted Running",
    "taskFinished a Success",
    "taskFinished b Success",
    "executionFinished Completed",
    "jobUpdated renamed",
    "jobDeleted renamed",
  ]);
});

t.test("stats sum up the job's history", async (t) => {
  const { clock, scheduler } = await setup();
  scheduler.defineAction("sometimes", {
    async run(ctx) {
      if (ctx.target === "bad" || ctx.execution.trigger === "Schedule") throw new Error("no");
    },
  });
  const job = await scheduler.createJob({ name: "s", schedule: { type: "Cron", cron: "0 * * * *" }, steps: [{ action: "sometimes", targets: ["good", "bad"] }] });
  t.match(scheduler.stats(job.id), { runs: 0, successRate: null, lastRunAt: null, lastState: null });
  await scheduler.waitForExecution((await scheduler.trigger(job.id)).id);
  await clock.advance(HOUR);
  const stats = scheduler.stats(job.id);
  t.match(stats, { runs: 2, succeeded: 1, failed: 1, skipped: 0, successRate: 0.5, averageDurationMs: 0, lastRunAt: iso(T0 + HOUR), lastState: "Failed", targetsProcessed: 4 });
});
