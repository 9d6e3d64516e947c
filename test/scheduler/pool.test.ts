import t from "tap";
import { ShoalError } from "../../src/errors.js";
import { settle } from "../../src/scheduler/clock.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { harness, heldAction } from "./helpers.js";

const targets = (n: number, prefix = "m"): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Releases whatever is in flight until the execution ends. */
async function drain(held: ReturnType<typeof heldAction>, done: () => boolean): Promise<void> {
  while (!done()) {
    held.release();
    await settle();
  }
}

t.test("every target of every job goes through one pool that never exceeds its size", async (t) => {
  const { scheduler } = await harness({ workerPoolSize: 4 });
  const held = heldAction();
  scheduler.defineAction("held", held);
  const a = await scheduler.createJob({ name: "a", schedule: { type: "Manual" }, steps: [{ action: "held", targets: targets(10, "a") }] });
  const b = await scheduler.createJob({ name: "b", schedule: { type: "Manual" }, steps: [{ action: "held", targets: targets(10, "b") }] });
  const ea = await scheduler.trigger(a.id);
  const eb = await scheduler.trigger(b.id);
  await settle();
  t.same(scheduler.pool, { size: 4, active: 4, queued: 16 });
  let finished = 0;
  void scheduler.waitForExecution(ea.id).then(() => finished++);
  void scheduler.waitForExecution(eb.id).then(() => finished++);
  await drain(held, () => finished === 2);
  t.equal(held.inFlight.max, 4);
  t.equal(held.calls.length, 20);
  t.same(scheduler.pool, { size: 4, active: 0, queued: 0 });
});

t.test("a job's maxConcurrency caps its share without holding pool slots while it waits", async (t) => {
  const { scheduler } = await harness({ workerPoolSize: 10 });
  const capped = heldAction();
  const free = heldAction();
  scheduler.defineAction("capped", capped);
  scheduler.defineAction("free", free);
  const a = await scheduler.createJob({ name: "a", schedule: { type: "Manual" }, policy: { maxConcurrency: 2 }, steps: [{ action: "capped", targets: targets(12) }] });
  // Other machines: the target lock would otherwise hold b back on the machines a is working on.
  const b = await scheduler.createJob({ name: "b", schedule: { type: "Manual" }, steps: [{ action: "free", targets: targets(8, "n") }] });
  const ea = await scheduler.trigger(a.id);
  await scheduler.trigger(b.id);
  await settle();
  t.equal(capped.inFlight.current, 2, "job a runs 2 at a time");
  t.equal(free.inFlight.current, 8, "job b gets the other slots: a's waiting tasks do not hold any");
  free.release();
  let done = false;
  void scheduler.waitForExecution(ea.id).then(() => (done = true));
  await drain(capped, () => done);
  t.equal(capped.inFlight.max, 2);
  t.equal(capped.calls.length, 12);
});

t.test("setWorkerPoolSize while tasks are queued loses and duplicates nothing", async (t) => {
  const { scheduler } = await harness({ workerPoolSize: 2 });
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "a", schedule: { type: "Manual" }, steps: [{ action: "held", targets: targets(30) }] });
  const execution = await scheduler.trigger(job.id);
  await settle();
  t.same(scheduler.pool, { size: 2, active: 2, queued: 28 });
  scheduler.setWorkerPoolSize(7);
  await settle();
  t.equal(held.inFlight.current, 7, "growing starts queued work at once");
  held.release();
  scheduler.setWorkerPoolSize(3);
  await settle();
  t.equal(held.inFlight.current, 3, "shrinking holds new starts to the new size");
  t.equal(scheduler.getExecution(execution.id).percentComplete, 23, "progress shows while the run goes on (7 of 30)");
  let done = false;
  void scheduler.waitForExecution(execution.id).then(() => (done = true));
  await drain(held, () => done);
  const final = await scheduler.waitForExecution(execution.id);
  t.equal(held.calls.length, 30);
  t.same(new Set(held.inFlight.started).size, 30, "each target ran once");
  t.ok(final.steps[0]!.targets.every((x) => x.status === "Success" && x.attempts === 1));
  t.equal(held.inFlight.max, 7);
});

t.test("the pool size must be 1..10000", async (t) => {
  t.throws(() => new Scheduler({ workerPoolSize: 0 }), ShoalError);
  const { scheduler } = await harness();
  t.equal(scheduler.pool.size, 5, "default 5");
  t.throws(() => scheduler.setWorkerPoolSize(10_001), { code: "ValidationError" });
  t.throws(() => scheduler.setWorkerPoolSize(2.5), { code: "ValidationError" });
  scheduler.setWorkerPoolSize(10_000);
  t.equal(scheduler.pool.size, 10_000);
});
