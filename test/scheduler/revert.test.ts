import t from "tap";
import type { ActionContext, RevertContext } from "../../src/scheduler/actions.js";
import { harness } from "./helpers.js";

t.test("a revert runs each changed target's revert with the snapshot its run recorded", async (t) => {
  const { scheduler } = await harness();
  const values = new Map([["m1", 1], ["m2", 5], ["m3", 1]]);
  const seen: { target: string; before: unknown; after: unknown; revertOf: string }[] = [];
  scheduler.defineAction("set", {
    async run(ctx: ActionContext) {
      const before = values.get(ctx.target)!;
      if (before === 5) return { changed: false, before, after: before };
      values.set(ctx.target, 5);
      return { changed: true, before, after: 5 };
    },
    async revert(ctx: RevertContext) {
      seen.push({ target: ctx.target, before: ctx.before, after: ctx.after, revertOf: ctx.revertOf });
      if (values.get(ctx.target) !== ctx.after) throw Object.assign(new Error("changed since"), { type: "Conflict" });
      values.set(ctx.target, ctx.before as number);
      return { changed: true, before: ctx.after, after: ctx.before };
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "set", targets: ["m1", "m2", "m3"] }] });
  const run = await scheduler.waitForExecution((await scheduler.trigger(job.id)).id);
  t.same(run.steps[0]!.targets.map((r) => [r.target, r.changed, r.before, r.after]), [
    ["m1", true, 1, 5],
    ["m2", false, 5, 5],
    ["m3", true, 1, 5],
  ]);
  values.set("m3", 7); // someone changed m3 since
  const started = await scheduler.revertExecution(run.id, { initiatedBy: "test" });
  t.equal(started.trigger, "Revert");
  t.equal(started.revertOf, run.id);
  const revert = await scheduler.waitForExecution(started.id);
  t.same(seen.map((s) => s.target), ["m1", "m3"], "the unchanged m2 is not touched");
  t.same(revert.steps[0]!.targets.map((r) => [r.target, r.status, r.error?.type ?? null]), [
    ["m1", "Success", null],
    ["m3", "Error", "Conflict"],
  ]);
  t.same([...values], [["m1", 1], ["m2", 5], ["m3", 7]]);
});

t.test("a run still going, or an action without revert, cannot be reverted", async (t) => {
  const { scheduler } = await harness();
  let finish!: () => void;
  scheduler.defineAction("slow", { run: () => new Promise<unknown>((r) => (finish = () => r({ changed: true, before: 1, after: 2 }))) });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "slow", targets: ["m1"] }] });
  const { id } = await scheduler.trigger(job.id);
  await new Promise((r) => setImmediate(r));
  await t.rejects(scheduler.revertExecution(id), { code: "Conflict" });
  finish();
  await scheduler.waitForExecution(id);
  await t.rejects(scheduler.revertExecution(id), { code: "Conflict", message: /cannot revert/ });
});
