import t from "tap";
import type { OverlapPolicy } from "../../src/jobs/types.js";
import { settle } from "../../src/scheduler/clock.js";
import { HOUR, T0, harness, heldAction, iso } from "./helpers.js";

/** An hourly job whose runs hang until released. */
async function hourly(overlap: OverlapPolicy) {
  const h = await harness();
  const held = heldAction();
  h.scheduler.defineAction("held", held);
  const skipped: string[] = [];
  h.scheduler.on("executionSkipped", (e) => skipped.push(e.reason ?? ""));
  const job = await h.scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, policy: { overlap }, steps: [{ action: "held", targets: ["m1"] }] });
  return { ...h, held, job, skipped };
}

t.test("overlap Skip (the default) records the run that came due while one was running", async (t) => {
  const { clock, scheduler, held, job, skipped } = await hourly("Skip");
  t.equal(job.policy.overlap, "Skip");
  await clock.advance(HOUR);
  await clock.advance(HOUR);
  t.equal(held.calls.length, 1, "the 02:00 run did not start");
  t.same(skipped, ["Overlap"]);
  const [latest, first] = scheduler.listExecutions({ jobId: job.id }).items;
  t.match(latest, { state: "Skipped", reason: "Overlap", trigger: "Schedule", scheduledFor: iso(T0 + 2 * HOUR) });
  t.match(first, { state: "Running", scheduledFor: iso(T0 + HOUR) });
  t.equal(scheduler.getJob(job.id).nextRunAt, iso(T0 + 3 * HOUR), "the schedule goes on");
});

t.test("a manual trigger of a running job under Skip is refused with AlreadyRunning", async (t) => {
  const { clock, scheduler, held, job } = await hourly("Skip");
  await clock.advance(HOUR);
  await t.rejects(scheduler.trigger(job.id), { code: "AlreadyRunning" });
  held.release();
  await settle();
  const again = await scheduler.trigger(job.id);
  t.equal(again.state, "Running", "accepted once the run ended");
});

t.test("overlap Queue keeps one run waiting and starts it when the running one ends", async (t) => {
  const { clock, scheduler, held, job, skipped } = await hourly("Queue");
  await clock.advance(HOUR);
  await clock.advance(HOUR);
  await clock.advance(HOUR);
  t.equal(held.calls.length, 1);
  t.same(skipped, ["Overlap"], "a third run is not queued behind the waiting one");
  const pending = scheduler.listExecutions({ jobId: job.id, state: "Pending" }).items;
  t.equal(pending.length, 1);
  t.equal(pending[0]!.scheduledFor, iso(T0 + 2 * HOUR));
  await t.rejects(scheduler.trigger(job.id), { code: "AlreadyRunning" }, "a manual run cannot queue behind a waiting one");
  held.release();
  await settle();
  t.equal(held.calls.length, 2, "the waiting run started");
  const started = scheduler.getExecution(pending[0]!.id);
  t.equal(started.state, "Running");
  t.equal(started.startedAt, iso(T0 + 3 * HOUR));
  held.release();
  await settle();
  t.equal(scheduler.getExecution(pending[0]!.id).state, "Completed");
  t.equal(held.calls.length, 2);
});

t.test("overlap Allow runs both, one at a time on a machine they share", async (t) => {
  const { clock, scheduler, held, job, skipped } = await hourly("Allow");
  await clock.advance(HOUR);
  await clock.advance(HOUR);
  const manual = await scheduler.trigger(job.id);
  t.equal(manual.state, "Running");
  t.equal(held.inFlight.current, 1, "the target lock lets one run at a time work on m1");
  t.same(scheduler.targetLocks, { held: 1, waiting: 2 });
  t.same(skipped, []);
  t.equal(scheduler.getJob(job.id).runCount, 3);
  for (let i = 0; i < 3; i++) {
    held.release();
    await settle();
  }
  t.equal(held.inFlight.max, 1);
  t.equal(held.calls.length, 3, "all three ran");
});

t.test("cancelling the run waiting under Queue ends it at once and leaves the running one alone", async (t) => {
  const { clock, scheduler, held, job } = await hourly("Queue");
  await clock.advance(2 * HOUR);
  const [waiting] = scheduler.listExecutions({ jobId: job.id, state: "Pending" }).items;
  const cancelled = await scheduler.cancelExecution(waiting!.id);
  t.match(cancelled, { state: "Cancelled", startedAt: null });
  held.release();
  await settle();
  t.equal(held.calls.length, 1, "the cancelled run never started");
  t.same(scheduler.listExecutions({ jobId: job.id }).items.map((e) => e.state).sort(), ["Cancelled", "Completed"]);
});
