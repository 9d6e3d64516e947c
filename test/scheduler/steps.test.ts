import t from "tap";
import type { Execution } from "../../src/executions/types.js";
import type { StepSpec } from "../../src/jobs/types.js";
import { settle } from "../../src/scheduler/clock.js";
import { harness, heldAction } from "./helpers.js";

/** A scheduler with action "work" that fails for targets named "bad*", and logs the order of starts and ends. */
async function setup(poolSize = 50) {
  const h = await harness({ workerPoolSize: poolSize });
  const log: string[] = [];
  h.scheduler.defineAction("work", {
    async run(ctx) {
      log.push(`start ${ctx.step.name}/${ctx.target}`);
      await Promise.resolve();
      log.push(`end ${ctx.step.name}/${ctx.target}`);
      if (ctx.target.startsWith("bad")) throw Object.assign(new Error(`${ctx.target} refused`), { type: "HttpError", detail: { status: 400 } });
      return { target: ctx.target };
    },
  });
  const run = async (steps: StepSpec[]): Promise<Execution> => {
    const job = await h.scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps });
    const started = await h.scheduler.trigger(job.id);
    return h.scheduler.waitForExecution(started.id);
  };
  return { ...h, log, run };
}

t.test("Sequential steps wait for every step before them; ParallelWithPrevious joins the group", async (t) => {
  const h = await harness({ workerPoolSize: 10 });
  const held = heldAction();
  h.scheduler.defineAction("held", held);
  const job = await h.scheduler.createJob({
    name: "groups",
    schedule: { type: "Manual" },
    steps: [
      { name: "a", action: "held", targets: ["a1"] },
      { name: "b", action: "held", targets: ["b1"], mode: "ParallelWithPrevious" },
      { name: "c", action: "held", targets: ["c1"] },
    ],
  });
  const { id } = await h.scheduler.trigger(job.id);
  await settle();
  t.same(held.inFlight.started, ["a1", "b1"], "a and b run together");
  held.release("a1");
  await settle();
  t.same(held.inFlight.started, ["a1", "b1"], "c waits while b runs");
  t.same(h.scheduler.getExecution(id).steps.map((s) => [s.name, s.group, s.state]), [["a", 0, "Completed"], ["b", 0, "Running"], ["c", 1, "Pending"]]);
  held.release("b1");
  await settle();
  t.same(held.inFlight.started, ["a1", "b1", "c1"]);
  held.release("c1");
  const final = await h.scheduler.waitForExecution(id);
  t.equal(final.state, "Completed");
  t.same(final.steps.map((s) => s.state), ["Completed", "Completed", "Completed"]);
});

t.test("a step whose targets all fail stops the run: later steps are Skipped and the run Failed", async (t) => {
  const { run, log } = await setup();
  const final = await run([
    { name: "one", action: "work", targets: ["bad1", "bad2"] },
    { name: "two", action: "work", targets: ["m1"] },
  ]);
  t.equal(final.state, "Failed");
  t.match(final.reason, /one/);
  t.same(final.steps.map((s) => s.state), ["Failed", "Skipped"]);
  t.same(final.steps[1]!.targets.map((x) => x.status), ["Skipped"]);
  t.notOk(log.some((l) => l.includes("two/")), "step two never ran");
  t.equal(final.health, "Critical");
  t.same(final.steps[0]!.targets[0]!.error, { type: "HttpError", message: "bad1 refused", detail: { status: 400 } });
});

t.test("continueOnFailure on the failing step lets the run go on", async (t) => {
  const { run } = await setup();
  const final = await run([
    { name: "one", action: "work", targets: ["bad1"], continueOnFailure: true },
    { name: "two", action: "work", targets: ["m1"] },
  ]);
  t.equal(final.state, "Completed");
  t.same(final.steps.map((s) => s.state), ["Failed", "Completed"]);
  t.equal(final.health, "Warning");
});

t.test("one target's failure never stops the other targets; the run Completes with health Warning", async (t) => {
  const { run } = await setup();
  const final = await run([
    { name: "one", action: "work", targets: ["m1", "bad1", "m2"] },
    { name: "two", action: "work", targets: ["m3"] },
  ]);
  t.equal(final.state, "Completed", "a partial failure does not stop the run");
  t.equal(final.health, "Warning");
  t.same(final.steps[0]!.targets.map((x) => [x.target, x.status, x.ok]), [["m1", "Success", true], ["bad1", "Error", false], ["m2", "Success", true]]);
  t.same(final.steps[0]!.targets[0]!.output, { target: "m1" });
  t.equal(final.percentComplete, 100);
});

t.test("health is OK when every target succeeded and Critical when every target failed", async (t) => {
  const { run } = await setup();
  const ok = await run([{ action: "work", targets: ["m1", "m2"] }]);
  t.equal(ok.health, "OK");
  t.equal(ok.state, "Completed");
  const critical = await run([{ action: "work", targets: ["bad1", "bad2"] }]);
  t.equal(critical.health, "Critical");
  t.equal(critical.state, "Failed");
});

t.test("a failure in a parallel group still lets the group's other steps finish", async (t) => {
  const { run } = await setup();
  const final = await run([
    { name: "x", action: "work", targets: ["bad1"] },
    { name: "y", action: "work", targets: ["m1"], mode: "ParallelWithPrevious" },
    { name: "z", action: "work", targets: ["m2"] },
  ]);
  t.same(final.steps.map((s) => s.state), ["Failed", "Completed", "Skipped"]);
  t.equal(final.state, "Failed");
  t.equal(final.health, "Warning");
});

t.test("the execution record says who, when and how", async (t) => {
  const { scheduler, clock } = await setup();
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["m1"] }] });
  const started = await scheduler.trigger(job.id, { initiatedBy: "ops" });
  t.match(started.id, /^Exec-[0-9a-z-]+$/);
  t.equal(started.state, "Running");
  t.equal(started.startedAt, new Date(clock.now()).toISOString());
  const final = await scheduler.waitForExecution(started.id);
  t.match(final, { jobId: job.id, trigger: "Manual", initiatedBy: "ops", state: "Completed", health: "OK", percentComplete: 100, reason: null });
  t.ok(final.endedAt);
  t.match(final.steps[0]!.targets[0], { target: "m1", ok: true, attempts: 1, status: "Success" });
  t.same(scheduler.listExecutions({ jobId: job.id }).items.map((e) => e.id), [started.id], "the record lives in the store");
});
