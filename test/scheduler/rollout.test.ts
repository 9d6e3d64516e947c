import t from "tap";
import type { ActionContext } from "../../src/scheduler/actions.js";
import { wavesOf } from "../../src/scheduler/rollout.js";
import { harness } from "./helpers.js";

const machines = (n: number): string[] => Array.from({ length: n }, (_, i) => `m${String(i + 1).padStart(2, "0")}`);

t.test("waves: the canary, then batches by size or percent", async (t) => {
  t.same(wavesOf(7, { canary: 2, batchSize: 2, maxFailurePercent: 0, pauseMs: 0, onHalt: "Stop" }), [[0, 1], [2, 3], [4, 5], [6]]);
  t.same(wavesOf(4, { canary: 0, batchPercent: 50, maxFailurePercent: 0, pauseMs: 0, onHalt: "Stop" }), [[0, 1], [2, 3]]);
});

t.test("the job refuses a rollout without a batch size, or with both kinds", async (t) => {
  const { scheduler } = await harness();
  scheduler.defineAction("x", { async run() {} });
  const spec = (rollout: unknown) => ({ name: "j", schedule: { type: "Manual" as const }, policy: { rollout } as never, steps: [{ action: "x", targets: ["m1"] }] });
  await t.rejects(scheduler.createJob(spec({ canary: 1 })), { code: "ValidationError", details: [{ path: "/policy/rollout/batchSize" }] });
  await t.rejects(scheduler.createJob(spec({ batchSize: 1, batchPercent: 5 })), { code: "ValidationError", details: [{ path: "/policy/rollout/batchPercent" }] });
});

async function rolloutJob(failing: Set<string>, rollout: Record<string, unknown>) {
  const h = await harness({ workerPoolSize: 10 });
  const contacted: string[] = [];
  h.scheduler.defineAction("set", {
    async run(ctx: ActionContext) {
      contacted.push(ctx.target);
      if (failing.has(ctx.target)) throw Object.assign(new Error("400"), { type: "HttpError" });
      return { changed: true, before: 1, after: 2 };
    },
  });
  const job = await h.scheduler.createJob({
    name: "wave",
    schedule: { type: "Manual" },
    policy: { rollout: { canary: 2, batchSize: 10, maxFailurePercent: 10, ...rollout } as never },
    steps: [{ action: "set", targets: machines(50) }],
  });
  return { ...h, contacted, job };
}

t.test("a batch over the failure budget halts the run; resume finishes it in the same execution", async (t) => {
  const failing = new Set(machines(22).slice(12));
  const { scheduler, contacted, job } = await rolloutJob(failing, {});
  const { id } = await scheduler.trigger(job.id);
  const halted = await scheduler.waitForExecution(id);
  t.equal(halted.state, "Halted");
  t.match(halted.reason, /^FailureBudgetExceeded: 10 of 22 failed/);
  t.same(halted.rollout, { batch: 2, batches: 5, halted: true, reason: halted.reason });
  t.same(contacted.sort(), machines(22), "batches 3 to 5 never contacted");
  const rest = halted.steps[0]!.targets.slice(22);
  t.ok(rest.every((r) => r.status === "Skipped" && r.reason === "RolloutHalted"));

  failing.clear();
  await scheduler.resumeExecution(id);
  const done = await scheduler.waitForExecution(id);
  t.equal(done.state, "Completed", "resume gives a fresh failure budget");
  t.equal(done.id, id);
  t.same(contacted.length, 50, "each machine once");
  t.same(done.rollout, { batch: 5, batches: 5, halted: false, reason: null });
  t.equal(scheduler.getJob(job.id).runCount, 1, "resuming is not a new run");
  await t.rejects(scheduler.resumeExecution(id), { code: "Conflict" });
});

t.test("a failing canary halts before any batch", async (t) => {
  const { scheduler, contacted, job } = await rolloutJob(new Set(["m02"]), { maxFailurePercent: 100 });
  const { id } = await scheduler.trigger(job.id);
  const halted = await scheduler.waitForExecution(id);
  t.equal(halted.state, "Halted");
  t.equal(halted.reason, "CanaryFailed");
  t.same(contacted.sort(), ["m01", "m02"]);
});

t.test("onHalt Revert starts a revert of what the halted run changed", async (t) => {
  const failing = new Set(machines(22).slice(12));
  const h = await harness({ workerPoolSize: 10 });
  const reverted: string[] = [];
  h.scheduler.defineAction("set", {
    async run(ctx: ActionContext) {
      if (failing.has(ctx.target)) throw Object.assign(new Error("400"), { type: "HttpError" });
      return { changed: true, before: 1, after: 2 };
    },
    async revert(ctx) {
      reverted.push(ctx.target);
      return { changed: true, before: ctx.after, after: ctx.before };
    },
  });
  const job = await h.scheduler.createJob({
    name: "wave",
    schedule: { type: "Manual" },
    policy: { rollout: { canary: 2, batchSize: 10, maxFailurePercent: 10, onHalt: "Revert" } as never },
    steps: [{ action: "set", targets: machines(50) }],
  });
  const revertDone = new Promise<string>((resolve) => h.scheduler.on("executionFinished", (e) => e.trigger === "Revert" && resolve(e.id)));
  const { id } = await h.scheduler.trigger(job.id);
  const revertId = await revertDone;
  const revert = h.scheduler.getExecution(revertId);
  t.equal(revert.revertOf, id);
  t.equal(revert.state, "Completed");
  t.same(reverted.sort(), machines(12), "only the machines it changed");
});
