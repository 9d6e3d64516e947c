/**
 * A scheduler keeps the run that ended last (its live record, runner and
 * latest try) until the next one ends, so V8 keeps those classes' hidden
 * classes (maps) through a full garbage collection and the optimized code of
 * the run path with them. The runs before it are let go, and nothing is kept
 * beyond the scheduler itself.
 */
import t from "tap";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { ActionContext } from "../../src/scheduler/actions.js";
import type { Execution } from "../../src/executions/types.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { ManualClock } from "../../src/scheduler/clock.js";
import { harness } from "./helpers.js";

setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

async function fullCollection(): Promise<void> {
  // A WeakRef's target is held until the current turn is over.
  await new Promise((resolve) => setImmediate(resolve));
  collect();
}

interface Seen {
  tries: WeakRef<ActionContext>[];
  records: WeakRef<Execution>[];
}

/** A scheduler whose action notes each try's context and the run's live record, weakly. */
async function watched(): Promise<Seen & { scheduler: Scheduler; clock: ManualClock; jobId: string }> {
  const { clock, scheduler } = await harness();
  const seen: Seen = { tries: [], records: [] };
  scheduler.defineAction("act", {
    run: async (ctx) => {
      seen.tries.push(new WeakRef(ctx));
      seen.records.push(new WeakRef(ctx.execution));
    },
  });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "act", targets: ["m1"] }] });
  return { ...seen, scheduler, clock, jobId: job.id };
}

async function runOnce(scheduler: Scheduler, clock: ManualClock, jobId: string): Promise<void> {
  const { id } = await scheduler.trigger(jobId);
  await clock.advance(1);
  await scheduler.waitForExecution(id);
}

t.test("after two runs end, the second run's record and try are still alive, the first run's are collected", async (t) => {
  const { scheduler, clock, jobId, tries, records } = await watched();
  await runOnce(scheduler, clock, jobId);
  await runOnce(scheduler, clock, jobId);
  await fullCollection();
  t.equal(tries.length, 2);
  t.ok(tries[1]!.deref(), "the latest try (its context) is kept");
  t.ok(records[1]!.deref(), "the latest run (its live record) is kept");
  t.equal(tries[0]!.deref(), undefined, "the try before it is let go");
  t.equal(records[0]!.deref(), undefined, "the run before it is let go");
  await scheduler.stop();
});

t.test("a stopped scheduler that nobody holds any more takes its kept run with it", async (t) => {
  const seen = await (async (): Promise<Seen> => {
    const { scheduler, clock, jobId, tries, records } = await watched();
    await runOnce(scheduler, clock, jobId);
    await scheduler.stop();
    return { tries, records };
  })();
  await fullCollection();
  t.equal(seen.tries.length, 1);
  t.equal(seen.tries[0]!.deref(), undefined, "the try is collected");
  t.equal(seen.records[0]!.deref(), undefined, "the run is collected");
});
