import t from "tap";
import type { TargetResult } from "../../src/executions/types.js";
import { ManualClock, settle } from "../../src/scheduler/clock.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { HOUR, T0, harness, heldAction } from "./helpers.js";

/** A memory store that records the per-target writes it is asked for. */
class TargetCountingStore extends MemoryStore {
  targetWrites: string[] = [];
  override saveTargetResult(executionId: string, step: number, index: number, result: TargetResult): Promise<void> {
    this.targetWrites.push(`${result.target}:${result.status}`);
    return super.saveTargetResult(executionId, step, index, result);
  }
}

const hourly = (action: string, targets: string[]) => ({ name: "hourly", schedule: { type: "Cron" as const, cron: "0 * * * *" }, steps: [{ action, targets }] });

t.test("a run that starts and ends before the write batch goes out writes no per-target lines: its batched record carries them", async (t) => {
  const clock = new ManualClock(T0);
  const store = new TargetCountingStore({ now: () => clock.now() });
  const { scheduler } = await harness({ clock, store });
  scheduler.defineAction("quick", { run: async (ctx) => ctx.target });
  await scheduler.createJob(hourly("quick", ["m1", "m2", "m3"]));
  const finished = new Promise<string>((resolve) => scheduler.on("executionFinished", (e) => resolve(e.id)));
  await clock.advance(HOUR);
  const id = await finished;
  t.same(store.targetWrites, [], "no target line was written for a record the store did not have yet");
  const saved = store.getExecution(id)!;
  t.equal(saved.state, "Completed");
  t.same(
    saved.steps[0]!.targets.map((r) => [r.target, r.status]),
    [
      ["m1", "Success"],
      ["m2", "Success"],
      ["m3", "Success"],
    ],
    "the saved record has every target's outcome",
  );
  await scheduler.stop();
});

t.test("once the batch has written the run, each target's start and end is still saved as it happens", async (t) => {
  const clock = new ManualClock(T0);
  const store = new TargetCountingStore({ now: () => clock.now() });
  const { scheduler } = await harness({ clock, store, workerPoolSize: 1 });
  const held = heldAction();
  scheduler.defineAction("held", held);
  await scheduler.createJob(hourly("held", ["m1", "m2"]));
  await clock.advance(HOUR);
  const [running] = scheduler.listExecutions().items;
  const stored = store.getExecution(running!.id)!;
  t.same(
    stored.steps[0]!.targets.map((r) => r.status),
    ["Running", "Pending"],
    "the batched write carried the start of the target that started with the run",
  );
  t.same(store.targetWrites, [], "that start needed no line of its own");
  held.release("m1");
  for (let turns = 0; store.targetWrites.length < 2 && turns < 1000; turns++) await settle();
  t.same([...store.targetWrites].sort(), ["m1:Success", "m2:Running"], "later progress is saved per target");
  held.release("m2");
  await scheduler.waitForExecution(running!.id);
  t.equal(store.getExecution(running!.id)!.state, "Completed");
  await scheduler.stop();
});
