import t from "tap";
import { settle } from "../../src/scheduler/clock.js";
import { HOUR, harness, heldAction } from "./helpers.js";

t.test("stop lets running executions finish within graceMs and starts nothing new", async (t) => {
  const { clock, scheduler } = await harness();
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, steps: [{ action: "held", targets: ["m"] }] });
  await clock.advance(HOUR);
  let stopped = false;
  const stopping = scheduler.stop({ graceMs: 5_000 }).then(() => (stopped = true));
  await clock.advance(1_000);
  t.notOk(stopped, "still waiting for the run");
  await t.rejects(scheduler.trigger(job.id), { code: "Stopped" });
  held.release();
  await stopping;
  const [run] = scheduler.listExecutions({ jobId: job.id }).items;
  t.equal(run!.state, "Completed", "the run finished inside the grace period");
  await clock.advance(5 * HOUR);
  t.equal(held.calls.length, 1, "no timer fires after stop");
});

t.test("stop cancels what is still running when graceMs is over", async (t) => {
  const { clock, scheduler } = await harness();
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m"] }] });
  const run = await scheduler.trigger(job.id);
  let stopped = false;
  const stopping = scheduler.stop({ graceMs: 2_000 }).then(() => (stopped = true));
  await clock.advance(1_999);
  t.notOk(stopped);
  await clock.advance(1);
  await stopping;
  t.ok(held.calls[0]!.signal.aborted, "the action was told to stop");
  t.match(scheduler.getExecution(run.id), { state: "Cancelled", reason: "SchedulerStopped" });
});

t.test("stop cancels a run waiting its turn at once", async (t) => {
  const { clock, scheduler } = await harness();
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, policy: { overlap: "Queue" }, steps: [{ action: "held", targets: ["m"] }] });
  await clock.advance(2 * HOUR);
  const [waiting] = scheduler.listExecutions({ jobId: job.id, state: "Pending" }).items;
  const stopping = scheduler.stop({ graceMs: 1_000 });
  await settle();
  t.match(scheduler.getExecution(waiting!.id), { state: "Cancelled", reason: "SchedulerStopped", startedAt: null });
  held.release();
  await stopping;
  t.equal(held.calls.length, 1);
});

t.test("a stopped scheduler can start again", async (t) => {
  const { clock, scheduler } = await harness();
  const runs: number[] = [];
  scheduler.defineAction("mark", { async run() { runs.push(clock.now()); } });
  await scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, policy: { misfire: "Skip" }, steps: [{ action: "mark", targets: ["m"] }] });
  await scheduler.stop();
  await clock.advance(HOUR + 1);
  t.same(runs, []);
  await scheduler.start();
  await clock.advance(HOUR);
  t.equal(runs.length, 1, "the missed run was skipped per policy, the next one ran");
});
