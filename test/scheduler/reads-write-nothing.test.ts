import t from "tap";
import type { Execution } from "../../src/executions/types.js";
import type { Job } from "../../src/jobs/types.js";
import { ManualClock } from "../../src/scheduler/clock.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { HOUR, T0, harness, heldAction } from "./helpers.js";

/** A memory store that counts the writes it is asked for. */
class CountingStore extends MemoryStore {
  writes = 0;
  override saveJob(job: Job): Promise<void> {
    this.writes++;
    return super.saveJob(job);
  }
  override saveExecution(execution: Execution): Promise<void> {
    this.writes++;
    return super.saveExecution(execution);
  }
}

t.test("reads issue no writes, yet see the records still waiting in the write batch", async (t) => {
  const clock = new ManualClock(T0);
  const store = new CountingStore({ now: () => clock.now() });
  const { scheduler } = await harness({ clock, store });
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, steps: [{ action: "held", targets: ["m1"] }] });
  const seen: { writesBefore: number; writesAfter: number; got: Execution; listed: Execution[]; total: number; skipped: number }[] = [];
  // The listener runs as the skipped record is made, before the batch is written.
  scheduler.on("executionSkipped", (skipped) => {
    const writesBefore = store.writes;
    const got = scheduler.getExecution(skipped.id);
    const page = scheduler.listExecutions({ jobId: job.id });
    const stats = scheduler.stats(job.id);
    scheduler.lastOutcome(job.id);
    seen.push({ writesBefore, writesAfter: store.writes, got, listed: page.items, total: page.total, skipped: stats.skipped });
  });
  await clock.advance(HOUR);
  await clock.advance(HOUR);
  t.equal(seen.length, 1, "the second run was skipped (overlap Skip)");
  const [at] = seen;
  t.equal(at!.writesAfter, at!.writesBefore, "no write was issued by the reads");
  t.equal(at!.got.state, "Skipped");
  t.same(
    at!.listed.map((e) => e.state),
    ["Skipped", "Running"],
    "the list has the unwritten skipped run, newest first",
  );
  t.equal(at!.total, 2);
  t.equal(at!.skipped, 1, "stats count it");
  t.equal(store.getExecution(at!.got.id)?.state, "Skipped", "the batch wrote it afterwards");
  held.release();
});

t.test("a filtered list answers as the store will once the batch is written", async (t) => {
  const clock = new ManualClock(T0);
  const store = new CountingStore({ now: () => clock.now() });
  const { scheduler } = await harness({ clock, store });
  const held = heldAction();
  scheduler.defineAction("held", held);
  const job = await scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, steps: [{ action: "held", targets: ["m1"] }] });
  let running: number | undefined;
  let skippedOnly: string[] | undefined;
  scheduler.on("executionSkipped", () => {
    running = scheduler.listExecutions({ jobId: job.id, state: "Running" }).total;
    skippedOnly = scheduler.listExecutions({ state: "Skipped", offset: 0, limit: 1 }).items.map((e) => e.state);
  });
  await clock.advance(HOUR);
  await clock.advance(HOUR);
  t.equal(running, 1);
  t.same(skippedOnly, ["Skipped"]);
  held.release();
});
