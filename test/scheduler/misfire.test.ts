import t from "tap";
import type { MisfirePolicy } from "../../src/jobs/types.js";
import { ManualClock, settle } from "../../src/scheduler/clock.js";
import { HOUR, T0, harness, heldAction, iso } from "./helpers.js";

async function hourlyJob(misfire: MisfirePolicy) {
  const h = await harness();
  const runs: string[] = [];
  h.scheduler.defineAction("noop", { async run(ctx) { runs.push(ctx.execution.trigger); } });
  const job = await h.scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, policy: { misfire }, steps: [{ action: "noop", targets: ["m1"] }] });
  return { ...h, runs, job };
}

t.test("resuming a job whose runs fell due while paused runs one CatchUp under RunOnce", async (t) => {
  const { clock, scheduler, runs, job } = await hourlyJob("RunOnce");
  const paused = await scheduler.pauseJob(job.id, { reason: "maintenance" });
  t.equal(paused.enabled, false);
  t.equal(paused.pausedReason, "maintenance");
  await clock.advance(5 * HOUR + 10 * 60_000);
  t.same(runs, [], "nothing runs while paused");
  const resumed = await scheduler.resumeJob(job.id);
  await settle();
  t.same(runs, ["CatchUp"], "one catch-up run, not five");
  t.equal(resumed.pausedReason, null);
  t.equal(scheduler.getJob(job.id).nextRunAt, iso(T0 + 6 * HOUR));
  const [catchUp] = scheduler.listExecutions({ jobId: job.id }).items;
  t.match(catchUp, { trigger: "CatchUp", state: "Completed", scheduledFor: iso(T0 + HOUR) });
  await clock.advance(50 * 60_000);
  t.same(runs, ["CatchUp", "Schedule"]);
});

t.test("resuming under misfire Skip records one skipped run", async (t) => {
  const { clock, scheduler, runs, job } = await hourlyJob("Skip");
  await scheduler.pauseJob(job.id);
  await clock.advance(5 * HOUR);
  await scheduler.resumeJob(job.id);
  await settle();
  t.same(runs, []);
  const records = scheduler.listExecutions({ jobId: job.id }).items;
  t.equal(records.length, 1);
  t.match(records[0], { state: "Skipped", reason: "Misfire" });
});

t.test("resuming before the next run came due applies no misfire", async (t) => {
  const { clock, scheduler, runs, job } = await hourlyJob("RunOnce");
  await scheduler.pauseJob(job.id);
  await clock.advance(30 * 60_000);
  await scheduler.resumeJob(job.id);
  await settle();
  t.same(runs, []);
  await clock.advance(30 * 60_000);
  t.same(runs, ["Schedule"]);
});

for (const misfire of ["RunOnce", "Skip"] as const) {
  t.test(`a restart after downtime applies misfire ${misfire} once and marks cut-off runs Interrupted`, async (t) => {
    const first = await harness();
    const held = heldAction();
    first.scheduler.defineAction("work", held);
    const job = await first.scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, policy: { misfire }, steps: [{ action: "work", targets: ["m1"] }] });
    await first.clock.advance(HOUR);
    const cutOff = first.scheduler.listExecutions({ jobId: job.id }).items[0]!;
    t.equal(cutOff.state, "Running");
    // The process dies here, without stop(); a new one starts on the same store 5.5 hours later.

    const clock = new ManualClock(T0 + 6 * HOUR + 30 * 60_000);
    const runs: string[] = [];
    const second = await harness({
      clock,
      store: first.store,
      before: (s) => s.defineAction("work", { async run(ctx) { runs.push(ctx.execution.trigger); } }),
    });
    await settle();
    const history = second.scheduler.listExecutions({ jobId: job.id }).items;
    t.match(second.scheduler.getExecution(cutOff.id), { state: "Interrupted", reason: "ProcessRestarted" });
    t.equal(history.length, 2, "one record for the downtime, not one per missed hour");
    if (misfire === "RunOnce") {
      t.same(runs, ["CatchUp"]);
      t.match(history[0], { trigger: "CatchUp", state: "Completed", scheduledFor: iso(T0 + 2 * HOUR) });
    } else {
      t.same(runs, []);
      t.match(history[0], { state: "Skipped", reason: "Misfire", scheduledFor: iso(T0 + 2 * HOUR) });
    }
    const reloaded = second.scheduler.getJob(job.id);
    t.equal(reloaded.nextRunAt, iso(T0 + 7 * HOUR));
    await clock.advance(30 * 60_000);
    t.equal(runs.filter((r) => r === "Schedule").length, 1, "the schedule goes on from now");
  });
}

t.test("a restart does not re-run a job whose next run is still ahead", async (t) => {
  const first = await harness({ before: (s) => s.defineAction("noop", { async run() {} }) });
  const job = await first.scheduler.createJob({ name: "daily", schedule: { type: "Continuous", time: "12:00" }, steps: [{ action: "noop", targets: ["m1"] }] });
  await first.scheduler.stop();
  const runs: number[] = [];
  const clock = new ManualClock(T0 + HOUR);
  const second = await harness({ clock, store: first.store, before: (s) => s.defineAction("noop", { async run() { runs.push(clock.now()); } }) });
  await settle();
  t.same(runs, []);
  t.equal(second.scheduler.getJob(job.id).nextRunAt, iso(T0 + 12 * HOUR));
  await clock.advance(11 * HOUR);
  t.same(runs, [T0 + 12 * HOUR]);
});
