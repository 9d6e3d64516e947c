import t from "tap";
import { harness, heldAction } from "./helpers.js";

t.test("lastOutcome is the newest run that ended, ignoring skipped and running ones", async (t) => {
  const { clock, scheduler } = await harness();
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m1", "m2"] }] });
  t.equal(scheduler.lastOutcome(job.id), undefined, "nothing ran yet");

  const first = await scheduler.trigger(job.id);
  await clock.advance(1);
  held.failWith("m2", new Error("no"));
  held.release("m1");
  await scheduler.waitForExecution(first.id);
  t.match(scheduler.lastOutcome(job.id), { state: "Completed", health: "Warning" });

  await scheduler.trigger(job.id); // now running
  await clock.advance(1);
  await t.rejects(scheduler.trigger(job.id), { code: "AlreadyRunning" });
  t.match(scheduler.lastOutcome(job.id), { state: "Completed", health: "Warning" }, "a run still going does not count");
  held.release();
  t.throws(() => scheduler.lastOutcome("Job-nope"), { code: "NotFound" });
});

t.test("lastOutcome names the run, and sees a run that has ended before its record is stored", async (t) => {
  const { clock, scheduler } = await harness();
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m1"] }] });
  const run = await scheduler.trigger(job.id);
  await clock.advance(1);
  let seen: unknown;
  // Listeners of executionFinished run as the run ends, before the write batch goes to the store.
  scheduler.on("executionFinished", () => (seen = scheduler.lastOutcome(job.id)));
  held.release();
  const ended = await scheduler.waitForExecution(run.id);
  t.same(seen, { id: run.id, state: "Completed", health: "OK", endedAt: ended.endedAt });
  t.same(scheduler.lastOutcome(job.id), seen);
});
