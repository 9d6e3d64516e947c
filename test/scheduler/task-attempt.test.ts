import t from "tap";
import { ManualClock } from "../../src/scheduler/clock.js";
import { TargetLocks } from "../../src/scheduler/target-lock.js";
import { attemptTask, type AttemptHost, type Stop } from "../../src/scheduler/task-attempt.js";
import { silentLogger } from "../../src/scheduler/logger.js";
import { AbandonScope } from "../../src/scheduler/worker-pool.js";
import type { Job } from "../../src/jobs/types.js";
import type { Execution } from "../../src/executions/types.js";
import { harness, heldAction, T0 } from "./helpers.js";

function host(job: Partial<Job> = {}): AttemptHost & { halt(stop: Stop): void } {
  const scope = new AbandonScope();
  let stopped: Stop | null = null;
  return {
    job: { id: "j", policy: {}, steps: [], ...job } as unknown as Job,
    record: { id: "e" } as unknown as Execution,
    signal: new AbortController().signal,
    get stopped() {
      return stopped;
    },
    scope,
    latestTry: null,
    halt(stop: Stop) {
      stopped = stop;
      scope.abandon();
    },
  };
}

const step = { name: "s", action: "a", targets: ["m1"], mode: "Sequential" } as unknown as Job["steps"][number];

t.test("a free target's action is called in the caller's own turn, not a microtask later", async (t) => {
  const locks = new TargetLocks();
  const env = { clock: new ManualClock(T0), logger: silentLogger, locks };
  let called = false;
  const outcome = attemptTask(host(), env, step, "m1", 1, { run: async () => ((called = true), "out") });
  t.equal(called, true, "called before attemptTask returned");
  t.same(locks.status, { held: 1, waiting: 0 }, "and it holds its target meanwhile");
  t.same(await outcome, { kind: "ok", output: "out" });
  t.same(locks.status, { held: 0, waiting: 0 }, "let go with the answer");
});

t.test("an action that throws before returning a promise is a failed try, not a crash", async (t) => {
  const locks = new TargetLocks();
  const env = { clock: new ManualClock(T0), logger: silentLogger, locks };
  const outcome = await attemptTask(host(), env, step, "m1", 1, {
    run: () => {
      throw Object.assign(new Error("no route"), { transient: true });
    },
  });
  t.match(outcome, { kind: "error", error: { message: "no route", transient: true } });
  t.same(locks.status, { held: 0, waiting: 0 });
});

t.test("a try stopped while its action is out is in flight; one stopped while waiting for its target was never sent", async (t) => {
  const locks = new TargetLocks();
  const env = { clock: new ManualClock(T0), logger: silentLogger, locks };
  const h = host();
  const out = attemptTask(h, env, step, "m1", 1, { run: () => new Promise(() => {}) });
  const waiting = attemptTask(h, env, step, "m1", 1, { run: async () => t.fail("never called") });
  t.same(locks.status, { held: 1, waiting: 1 });
  h.halt({ kind: "Cancelled", reason: "Cancelled" });
  t.same(await out, { kind: "stopped", sent: true });
  t.same(await waiting, { kind: "stopped" });
  t.same(locks.status, { held: 0, waiting: 0 }, "both let go of m1");
});

t.test("cancelling a run whose task waits for a target another run holds records that task Cancelled, not Unknown", async (t) => {
  const { scheduler } = await harness({ workerPoolSize: 10 });
  const action = heldAction();
  scheduler.defineAction("held", { run: (ctx) => action.run(ctx) });
  const a = await scheduler.createJob({ name: "a", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m1"] }] });
  const b = await scheduler.createJob({ name: "b", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m1"] }] });
  const ea = await scheduler.trigger(a.id);
  const eb = await scheduler.trigger(b.id);
  await new Promise((r) => setImmediate(r));
  t.same(scheduler.targetLocks, { held: 1, waiting: 1 });
  await scheduler.cancelExecution(eb.id);
  const cancelled = await scheduler.waitForExecution(eb.id);
  t.equal(cancelled.steps[0]!.targets[0]!.status, "Cancelled", "its request was never sent");
  t.equal(cancelled.health, null, "no target reached an outcome");
  action.release();
  t.equal((await scheduler.waitForExecution(ea.id)).state, "Completed");
  t.equal(action.calls.length, 1, "only run a called the action");
});
