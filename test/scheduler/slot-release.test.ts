import t from "tap";
import { isFinal, type Execution } from "../../src/executions/types.js";
import type { OverlapPolicy } from "../../src/jobs/types.js";
import { ManualClock } from "../../src/scheduler/clock.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { until } from "../helpers/until.js";
import { T0, gate, harness } from "./helpers.js";

/** A store whose save of a run's final record waits until the test lets it through. */
class HeldFinalSave extends MemoryStore {
  readonly finalSave = gate();
  finalSavesWaiting = 0;
  override async saveExecution(execution: Execution): Promise<void> {
    if (isFinal(execution.state) && execution.state !== "Skipped") {
      this.finalSavesWaiting++;
      await this.finalSave.promise;
    }
    return super.saveExecution(execution);
  }
}

async function quickJob(overlap: OverlapPolicy) {
  const clock = new ManualClock(T0);
  const store = new HeldFinalSave({ now: () => clock.now() });
  const h = await harness({ clock, store });
  // Open from the start unless a test holds the first run in its action (an action may be called in the trigger's own turn).
  const action = gate();
  h.scheduler.defineAction("quick", { async run() { await action.promise; return "done"; } });
  const job = await h.scheduler.createJob({ name: "quick", schedule: { type: "Manual" }, policy: { overlap }, steps: [{ action: "quick", targets: ["m1"] }] });
  t.teardown(() => store.finalSave.open());
  return { ...h, store, job, action };
}

t.test("a run that reads Completed has freed its overlap slot: triggering again at once is accepted", async (t) => {
  const { scheduler, store, job, action } = await quickJob("Skip");
  action.open();
  const first = await scheduler.trigger(job.id);
  // The final record is visible while its save is still on its way to the store.
  await until(() => scheduler.getExecution(first.id).state === "Completed", { what: "the first run to read Completed" });
  t.equal(store.finalSavesWaiting, 1, "its final save has not finished");
  const second = await scheduler.trigger(job.id);
  t.not(second.id, first.id);
  t.equal(second.trigger, "Manual", "the second trigger was accepted, not refused as overlapping");
  store.finalSave.open();
  t.equal((await scheduler.waitForExecution(first.id)).state, "Completed");
  t.equal((await scheduler.waitForExecution(second.id)).state, "Completed");
});

t.test("under overlap Queue, the waiting run has started by the time the one before reads Completed", async (t) => {
  const { scheduler, store, job, action } = await quickJob("Queue");
  const first = await scheduler.trigger(job.id);
  const queued = await scheduler.trigger(job.id);
  t.equal(queued.state, "Pending", "the second run waits its turn");
  action.open();
  await until(() => scheduler.getExecution(first.id).state === "Completed", { what: "the first run to read Completed" });
  t.not(scheduler.getExecution(queued.id).state, "Pending", "the queued run is no longer waiting");
  const third = await scheduler.trigger(job.id);
  t.equal(third.trigger, "Manual", "a new trigger is accepted (it queues behind the run that started, or starts if that one has ended)");
  store.finalSave.open();
  for (const id of [first.id, queued.id, third.id]) t.equal((await scheduler.waitForExecution(id)).state, "Completed");
});
