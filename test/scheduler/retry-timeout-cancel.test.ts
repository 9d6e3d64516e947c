import t from "tap";
import { settle } from "../../src/scheduler/clock.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { gate, harness, heldAction, transientError } from "./helpers.js";

const retry = { maxAttempts: 5, initialDelayMs: 100, factor: 10, maxDelayMs: 2_000 };

t.test("transient errors are retried with capped exponential backoff; attempts are recorded", async (t) => {
  const { clock, scheduler } = await harness();
  const attemptsAt: number[] = [];
  scheduler.defineAction("flaky", {
    async run(ctx) {
      attemptsAt.push(clock.now());
      if (ctx.attempt < 4) throw transientError();
      return "finally";
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, policy: { retry }, steps: [{ action: "flaky", targets: ["m1"] }] });
  const { id } = await scheduler.trigger(job.id);
  const t0 = clock.now();
  await clock.advance(99);
  t.equal(attemptsAt.length, 1, "no retry before the first delay");
  await clock.advance(1);
  t.equal(attemptsAt.length, 2);
  await clock.advance(10_000);
  t.same(attemptsAt.map((a) => a - t0), [0, 100, 1_100, 3_100], "delays 100, 1000, then capped at 2000");
  const final = await scheduler.waitForExecution(id);
  t.match(final.steps[0]!.targets[0], { status: "Success", ok: true, attempts: 4, output: "finally" });
  t.notOk(final.steps[0]!.targets[0]!.error, "a retried error does not linger on a success");
});

t.test("a non-transient error is not retried", async (t) => {
  const { clock, scheduler } = await harness();
  let calls = 0;
  scheduler.defineAction("rejects", {
    async run() {
      calls++;
      throw Object.assign(new Error("400 Bad Request"), { errorType: "HttpError", transient: false, detail: { status: 400 } });
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, policy: { retry }, steps: [{ action: "rejects", targets: ["m1"] }] });
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(60_000);
  const final = await scheduler.waitForExecution(id);
  t.equal(calls, 1);
  t.match(final.steps[0]!.targets[0], { status: "Error", attempts: 1, error: { type: "HttpError", message: "400 Bad Request", detail: { status: 400 } } });
});

t.test("retries give up after maxAttempts and keep the last error", async (t) => {
  const { clock, scheduler } = await harness();
  scheduler.defineAction("down", { async run(ctx) { throw transientError(`try ${ctx.attempt}`); } });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, policy: { retry: { ...retry, maxAttempts: 3 } }, steps: [{ action: "down", targets: ["m1"] }] });
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(60_000);
  const final = await scheduler.waitForExecution(id);
  t.match(final.steps[0]!.targets[0], { status: "Error", attempts: 3, error: { type: "ConnectionReset", message: "try 3", transient: true } });
});

t.test("a task past taskTimeoutMs is aborted through its signal and fails with Timeout", async (t) => {
  const { clock, scheduler } = await harness();
  let abortedAt = -1;
  scheduler.defineAction("slow", {
    run(ctx) {
      return new Promise((_, reject) => ctx.signal.addEventListener("abort", () => { abortedAt = clock.now(); reject(ctx.signal.reason); }));
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, policy: { taskTimeoutMs: 500 }, steps: [{ action: "slow", targets: ["m1"] }] });
  const start = clock.now();
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(499);
  t.equal(abortedAt, -1);
  await clock.advance(1);
  t.equal(abortedAt, start + 500);
  const final = await scheduler.waitForExecution(id);
  t.match(final.steps[0]!.targets[0], { status: "Error", attempts: 1, error: { type: "Timeout", transient: true } });
  t.equal(final.state, "Failed");
});

t.test("a timed-out attempt counts as transient and is retried", async (t) => {
  const { clock, scheduler } = await harness();
  scheduler.defineAction("slowThenFast", {
    run(ctx) {
      if (ctx.attempt === 1) return new Promise(() => {});
      return Promise.resolve("quick");
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, policy: { taskTimeoutMs: 500, retry }, steps: [{ action: "slowThenFast", targets: ["m1"] }] });
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(600);
  const final = await scheduler.waitForExecution(id);
  t.match(final.steps[0]!.targets[0], { status: "Success", attempts: 2, output: "quick" });
});

t.test("executionTimeoutMs fails the run and aborts what is in flight", async (t) => {
  const { clock, scheduler } = await harness({ workerPoolSize: 1 });
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, policy: { executionTimeoutMs: 1_000 }, steps: [{ action: "held", targets: ["m1", "m2"] }] });
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(1_000);
  const final = await scheduler.waitForExecution(id);
  t.match(final, { state: "Failed", reason: "ExecutionTimeout" });
  t.same(final.steps[0]!.targets.map((x) => [x.status, x.error?.type]), [["Error", "Timeout"], ["Cancelled", "Cancelled"]]);
  t.ok(held.calls[0]!.signal.aborted);
});

t.test("cancelExecution drops queued tasks, aborts in-flight ones and ends without waiting for an action that ignores its signal", async (t) => {
  const { scheduler } = await harness({ workerPoolSize: 2 });
  const started: string[] = [];
  const never = gate();
  let lateResultArrived = false;
  scheduler.defineAction("stubborn", {
    async run(ctx) {
      started.push(ctx.target);
      await never.promise; // ignores ctx.signal
      lateResultArrived = true;
      return "late";
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "stubborn", targets: ["m1", "m2", "m3", "m4"] }, { action: "stubborn", targets: ["m5"] }] });
  const { id } = await scheduler.trigger(job.id);
  await settle();
  t.same(started, ["m1", "m2"]);
  const final = await scheduler.cancelExecution(id);
  t.notOk(lateResultArrived, "the run ended while the actions were still stuck");
  t.equal(final.state, "Cancelled");
  t.same(final.steps[0]!.targets.map((x) => x.status), ["Unknown", "Unknown", "Cancelled", "Cancelled"], "in flight: Unknown; never started: Cancelled");
  t.match(final.steps[0]!.targets[0]!.error, { type: "Unknown", message: /request was sent/ });
  t.equal(final.health, "Warning", "a run with outcomes not known is never OK");
  t.same(final.steps.map((s) => s.state), ["Cancelled", "Cancelled"]);
  t.same(scheduler.pool, { size: 2, active: 0, queued: 0 }, "the pool is free again");
  never.open();
  await settle();
  t.ok(lateResultArrived);
  t.same(started, ["m1", "m2"], "queued tasks never started");
  const stored = scheduler.getExecution(id);
  t.equal(stored.state, "Cancelled", "the late result was discarded");
  t.notOk(stored.steps[0]!.targets.some((x) => x.output === "late"));
  await t.rejects(scheduler.cancelExecution(id), { code: "NotRunning" });
  await t.rejects(scheduler.cancelExecution("Exec-nope"), { code: "NotFound" });
});

t.test("a cancelled run ends on the real clock though its action never returns", async (t) => {
  const scheduler = new Scheduler({ timeZone: "UTC" });
  scheduler.defineAction("deaf", { run: () => new Promise(() => {}) });
  await scheduler.start();
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "deaf", targets: ["m1", "m2"] }] });
  const { id } = await scheduler.trigger(job.id);
  await settle();
  // The action ignores its signal and never settles: the run ending at all shows cancel does not wait for it.
  const cancelled = await scheduler.cancelExecution(id);
  t.equal(cancelled.state, "Cancelled");
  await scheduler.stop();
});

t.test("cancel during a retry delay ends the run without another attempt", async (t) => {
  const { clock, scheduler } = await harness();
  let calls = 0;
  scheduler.defineAction("flaky", { async run() { calls++; throw transientError(); } });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, policy: { retry }, steps: [{ action: "flaky", targets: ["m1"] }] });
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(50);
  const final = await scheduler.cancelExecution(id);
  await clock.advance(10_000);
  t.equal(calls, 1);
  t.match(final.steps[0]!.targets[0], { status: "Cancelled", attempts: 1 });
});
