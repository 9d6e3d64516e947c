import t from "tap";
import type { AfterTaskContext } from "../../src/scheduler/actions.js";
import { harness, heldAction, transientError } from "./helpers.js";

const retry = { maxAttempts: 3, initialDelayMs: 100, factor: 2, maxDelayMs: 1_000 };

t.test("afterTask runs once per target after the last attempt, and its answer is kept on the result", async (t) => {
  const { clock, scheduler } = await harness();
  const seen: { target: string; attempts: number; status: string }[] = [];
  scheduler.defineAction("flaky", {
    async run(ctx) {
      if (ctx.target === "m1" && ctx.attempt < 3) throw transientError();
      if (ctx.target === "m2") throw Object.assign(new Error("refused"), { type: "HttpError" });
      return { message: "ok" };
    },
    async afterTask(ctx: AfterTaskContext) {
      seen.push({ target: ctx.target, attempts: ctx.result.attempts, status: ctx.result.status });
      return { resultFile: `${ctx.target}.json` };
    },
  });
  const job = await scheduler.createJob({
    name: "j",
    schedule: { type: "Manual" },
    policy: { retry },
    steps: [{ action: "flaky", targets: ["m1", "m2"] }],
  });
  const finished: unknown[] = [];
  scheduler.on("taskFinished", (e) => finished.push(e.result.annotations));
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(10_000);
  const final = await scheduler.waitForExecution(id);
  t.same(
    seen.sort((a, b) => a.target.localeCompare(b.target)),
    [
      { target: "m1", attempts: 3, status: "Success" },
      { target: "m2", attempts: 1, status: "Error" },
    ],
    "once per target, after retries",
  );
  t.same(final.steps[0]!.targets.map((r) => r.annotations), [{ resultFile: "m1.json" }, { resultFile: "m2.json" }]);
  t.same(finished.length, 2, "taskFinished carries the annotations");
  t.same(scheduler.getExecution(id).steps[0]!.targets[0]!.annotations, { resultFile: "m1.json" }, "stored too");
});

t.test("a failing afterTask is noted on the result, keeps the task's outcome and makes the run's health Warning with the reason", async (t) => {
  const { clock, scheduler } = await harness();
  scheduler.defineAction("ok", {
    async run() {
      return "done";
    },
    async afterTask() {
      throw new Error("disk full");
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "ok", targets: ["m1"] }] });
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(1);
  const final = await scheduler.waitForExecution(id);
  t.match(final.steps[0]!.targets[0], { status: "Success", ok: true, annotations: { afterTaskError: "disk full" } });
  t.equal(final.state, "Completed");
  t.equal(final.health, "Warning", "what the action did is not recorded: not OK");
  t.equal(final.reason, "AfterTaskFailed: 1 of 1 tasks: disk full");
});

t.test("cut-off targets reach afterTask too: Unknown when in flight, Cancelled with zero attempts when they never started", async (t) => {
  const { clock, scheduler } = await harness({ workerPoolSize: 1 });
  const held = heldAction();
  const calls: [string, number, string][] = [];
  scheduler.defineAction("held", {
    run: held.run,
    async afterTask(ctx) {
      calls.push([ctx.target, ctx.result.attempts, ctx.result.status]);
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "held", targets: ["m1", "m2"] }] });
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(1);
  await scheduler.cancelExecution(id);
  const final = await scheduler.waitForExecution(id);
  t.equal(final.state, "Cancelled");
  t.same(calls.sort(), [
    ["m1", 1, "Unknown"],
    ["m2", 0, "Cancelled"],
  ]);
});
