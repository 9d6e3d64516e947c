import { join } from "node:path";
import t from "tap";
import { ShoalError } from "../../src/errors.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { FileStore } from "../../src/store/file-store.js";
import { fullDisk } from "../helpers/full-disk.js";
import { tempDir } from "../helpers/temp-dir.js";

t.test("a Trigger whose execution record cannot be saved is refused before the action runs; it works again once space returns", async (t) => {
  const disk = fullDisk();
  const store = new FileStore({ path: join(tempDir("shoal-trigger-"), "shoal.json"), journalAppend: disk.append });
  const scheduler = new Scheduler({ store, timeZone: "UTC" });
  const touched: string[] = [];
  scheduler.defineAction("work", { async run(ctx) { touched.push(ctx.target); } });
  await scheduler.start();
  t.teardown(async () => {
    disk.full = false;
    await scheduler.stop({ graceMs: 0 });
    await store.close();
  });
  const job = await scheduler.createJob({ name: "now", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["m1", "m2"] }] });

  disk.full = true;
  const error = await scheduler.trigger(job.id).then(() => undefined, (e: unknown) => e);
  t.type(error, ShoalError);
  t.equal((error as ShoalError).code, "InsufficientStorage");
  t.same(touched, [], "no target was touched");
  t.equal(scheduler.listExecutions({ jobId: job.id }).total, 0, "no run is left in memory");
  t.match(scheduler.getJob(job.id), { runCount: 0, lastRunAt: null });

  disk.full = false;
  const execution = await scheduler.trigger(job.id);
  const final = await scheduler.waitForExecution(execution.id);
  t.equal(final.state, "Completed");
  t.same(touched.sort(), ["m1", "m2"]);
});

t.test("under overlap Skip, simultaneous triggers still start exactly one run while the first record is being saved", async (t) => {
  const store = new FileStore({ path: join(tempDir("shoal-trigger-"), "shoal.json") });
  const scheduler = new Scheduler({ store, timeZone: "UTC" });
  let runs = 0;
  scheduler.defineAction("work", { run: () => { runs++; return new Promise((r) => setTimeout(r, 50)); } });
  await scheduler.start();
  t.teardown(async () => {
    await scheduler.stop({ graceMs: 0 });
    await store.close();
  });
  const job = await scheduler.createJob({ name: "once at a time", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["m1"] }] });
  const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => scheduler.trigger(job.id)));
  const accepted = outcomes.filter((o) => o.status === "fulfilled");
  t.equal(accepted.length, 1);
  t.ok(outcomes.every((o) => o.status === "fulfilled" || (o.reason as ShoalError).code === "AlreadyRunning"));
  await scheduler.waitForExecution((accepted[0] as PromiseFulfilledResult<{ id: string }>).value.id);
  t.equal(runs, 1);
});
