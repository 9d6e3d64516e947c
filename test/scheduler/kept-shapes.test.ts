/**
 * The latest run and the latest try stay reachable after every run has ended,
 * so V8 keeps their classes' hidden classes (maps) through a full garbage
 * collection and the optimized code of the run path with them; the ones before
 * are let go.
 */
import t from "tap";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { ActionContext } from "../../src/scheduler/actions.js";
import type { Execution } from "../../src/executions/types.js";
import { harness } from "./helpers.js";

setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

async function fullCollection(): Promise<void> {
  // A WeakRef's target is held until the current turn is over.
  await new Promise((resolve) => setImmediate(resolve));
  collect();
}

t.test("after two runs end, the second run's record and try are still alive, the first run's are collected", async (t) => {
  const { clock, scheduler } = await harness();
  const tries: WeakRef<ActionContext>[] = [];
  const records: WeakRef<Execution>[] = [];
  scheduler.defineAction("act", {
    run: async (ctx) => {
      tries.push(new WeakRef(ctx));
      records.push(new WeakRef(ctx.execution));
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "act", targets: ["m1"] }] });
  for (let i = 0; i < 2; i++) {
    const { id } = await scheduler.trigger(job.id);
    await clock.advance(1);
    await scheduler.waitForExecution(id);
  }
  await fullCollection();
  t.equal(tries.length, 2);
  t.ok(tries[1]!.deref(), "the latest try (its context) is kept");
  t.ok(records[1]!.deref(), "the latest run (its live record) is kept");
  t.equal(tries[0]!.deref(), undefined, "the try before it is let go");
  t.equal(records[0]!.deref(), undefined, "the run before it is let go");
  await scheduler.stop();
});
