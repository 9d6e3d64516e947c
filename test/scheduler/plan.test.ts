import t from "tap";
import type { ActionContext, PlanContext } from "../../src/scheduler/actions.js";
import { harness } from "./helpers.js";

async function planning() {
  const h = await harness({ workerPoolSize: 3 });
  const ran: string[] = [];
  const planned: string[] = [];
  h.scheduler.defineAction("set", {
    async run(ctx: ActionContext) {
      ran.push(ctx.target);
    },
    async plan(ctx: PlanContext) {
      planned.push(ctx.target);
      if (ctx.target === "same") return { outcome: "NoChange" };
      if (ctx.target === "bad") throw Object.assign(new Error("no such zone"), { type: "ResourceNotFound" });
      if (ctx.target === "down") throw Object.assign(new Error("refused"), { type: "ConnectionRefused", transient: true });
      return { outcome: "Change", changes: [{ property: "speed", current: 1, desired: 2 }] };
    },
  });
  h.scheduler.defineAction("noPlan", { async run() {} });
  return { ...h, ran, planned };
}

t.test("planJob asks every target's plan and runs nothing", async (t) => {
  const { scheduler, ran } = await planning();
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "set", targets: ["m1", "same", "bad", "down"] }] });
  const plan = await scheduler.planJob(job.id);
  t.same(ran, [], "no run");
  t.same(
    plan.targets.map((p) => [p.target, p.outcome]),
    [
      ["m1", "Change"],
      ["same", "NoChange"],
      ["bad", "Refused"],
      ["down", "Unreachable"],
    ],
  );
  t.same(plan.targets[0]!.changes, [{ property: "speed", current: 1, desired: 2 }]);
  t.equal(plan.targets[2]!.message, "no such zone");
  t.same(scheduler.listExecutions({ jobId: job.id }).total, 0, "a plan is not an execution");
});

t.test("planJob plans a subset, and refuses targets outside the job and actions without plan", async (t) => {
  const { scheduler, planned } = await planning();
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "set", targets: ["m1", "m2"] }] });
  const plan = await scheduler.planJob(job.id, { targets: ["m2"] });
  t.same(planned, ["m2"]);
  t.equal(plan.targets.length, 1);
  await t.rejects(scheduler.planJob(job.id, { targets: ["nope"] }), { code: "ValidationError", details: [{ path: "/targets/0" }] });
  const other = await scheduler.createJob({ name: "k", schedule: { type: "Manual" }, steps: [{ action: "noPlan", targets: ["m1"] }] });
  await t.rejects(scheduler.planJob(other.id), { code: "ValidationError", details: [{ path: "/steps/0/action" }] });
});

t.test("a plan that outlives the task timeout is Unreachable", async (t) => {
  const { scheduler, clock } = await harness();
  scheduler.defineAction("slow", {
    async run() {},
    plan: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, policy: { taskTimeoutMs: 500 }, steps: [{ action: "slow", targets: ["m1"] }] });
  const planning = scheduler.planJob(job.id);
  await new Promise((r) => setImmediate(r));
  await clock.advance(500);
  const plan = await planning;
  t.equal(plan.targets[0]!.outcome, "Unreachable");
  t.match(plan.targets[0]!.message, /500 ms/);
});
