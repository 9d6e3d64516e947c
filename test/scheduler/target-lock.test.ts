import t from "tap";
import { TargetLocks } from "../../src/scheduler/target-lock.js";
import { harness, heldAction } from "./helpers.js";

t.test("the lock hands a target to one holder at a time, in arrival order", async (t) => {
  const locks = new TargetLocks();
  const order: string[] = [];
  const first = await locks.acquire("m1");
  const second = locks.acquire("m1").then((release) => (order.push("second"), release));
  const third = locks.acquire("m1").then((release) => (order.push("third"), release));
  t.same(locks.status, { held: 1, waiting: 2 });
  first();
  (await second)();
  (await third)();
  t.same(order, ["second", "third"]);
  t.same(locks.status, { held: 0, waiting: 0 });
});

t.test("a waiter whose signal aborts leaves the queue", async (t) => {
  const locks = new TargetLocks();
  const held = await locks.acquire("m1");
  const controller = new AbortController();
  const waiting = locks.acquire("m1", controller.signal);
  controller.abort(new Error("gave up"));
  await t.rejects(waiting, { message: "gave up" });
  t.same(locks.status, { held: 1, waiting: 0 });
  held();
  t.same(locks.status, { held: 0, waiting: 0 }, "nobody was waiting any more");
});

t.test("two executions of different jobs never run one target at the same time", async (t) => {
  const { scheduler } = await harness({ workerPoolSize: 10 });
  const action = heldAction();
  scheduler.defineAction("held", { run: (ctx) => action.run(ctx) });
  const a = await scheduler.createJob({ name: "a", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m1", "m2"] }] });
  const b = await scheduler.createJob({ name: "b", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m2", "m3"] }] });
  const ea = await scheduler.trigger(a.id);
  const eb = await scheduler.trigger(b.id);
  await new Promise((r) => setImmediate(r));
  t.same(action.calls.map((c) => c.target).sort(), ["m1", "m2", "m3"], "the second m2 waits");
  t.same(scheduler.targetLocks, { held: 3, waiting: 1 }, "visible in the scheduler's lock status");
  action.release("m2");
  await new Promise((r) => setImmediate(r));
  t.equal(action.calls.filter((c) => c.target === "m2").length, 2, "then it runs");
  action.release();
  await scheduler.waitForExecution(ea.id);
  action.release();
  const final = await scheduler.waitForExecution(eb.id);
  t.equal(final.state, "Completed");
  t.equal(action.inFlight.max <= 3, true);
  t.same(scheduler.targetLocks, { held: 0, waiting: 0 });
});

t.test("waiting for a target counts against the task timeout", async (t) => {
  const { scheduler, clock } = await harness({ workerPoolSize: 10 });
  const action = heldAction();
  scheduler.defineAction("held", { run: (ctx) => action.run(ctx) });
  const a = await scheduler.createJob({ name: "a", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m1"] }] });
  const b = await scheduler.createJob({ name: "b", schedule: { type: "Manual" }, policy: { taskTimeoutMs: 1000 }, steps: [{ action: "held", targets: ["m1"] }] });
  const ea = await scheduler.trigger(a.id);
  const eb = await scheduler.trigger(b.id);
  await new Promise((r) => setImmediate(r));
  await clock.advance(1000);
  const final = await scheduler.waitForExecution(eb.id);
  t.equal(final.steps[0]!.targets[0]!.error?.type, "Timeout", "it timed out while waiting");
  t.equal(action.calls.length, 1, "and never reached the target");
  t.same(scheduler.targetLocks, { held: 1, waiting: 0 }, "it left the queue");
  action.release();
  await scheduler.waitForExecution(ea.id);
});

t.test("a signal given as a function is made only when the lease has to wait, and still lets the waiter go", async (t) => {
  const locks = new TargetLocks();
  let made = 0;
  const controller = new AbortController();
  const signal = (): AbortSignal => {
    made++;
    return controller.signal;
  };
  const first = locks.lease("m1", signal);
  await first.granted;
  t.equal(made, 0, "an uncontended lease never asks for it");
  const second = locks.lease("m1", signal);
  t.equal(made, 1, "a waiting one does");
  controller.abort(new Error("gave up"));
  await t.rejects(second.granted, { message: "gave up" });
  first.end();
  t.same(locks.status, { held: 0, waiting: 0 });
});
