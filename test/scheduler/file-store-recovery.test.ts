import { join } from "node:path";
import t from "tap";
import { ManualClock, settle } from "../../src/scheduler/clock.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { FileStore } from "../../src/store/file-store.js";
import { HOUR, T0, heldAction, iso } from "./helpers.js";
import { playProcessDeath } from "../helpers/process-death.js";
import { tempDir } from "../helpers/temp-dir.js";

t.test("the durable store plugs in: a crash mid-run is recovered from the files", async (t) => {
  const path = join(tempDir("shoal-scheduler-"), "shoal.json");
  const clock1 = new ManualClock(T0);
  const store1 = new FileStore({ path, fsync: false, now: () => clock1.now() });
  const first = new Scheduler({ store: store1, clock: clock1, timeZone: "UTC" });
  const held = heldAction();
  first.defineAction("work", held);
  await first.start();
  const job = await first.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, steps: [{ action: "work", targets: ["m1"] }] });
  await clock1.advance(HOUR);
  const cutOff = first.listExecutions({ jobId: job.id }).items[0]!;
  t.equal(cutOff.state, "Running");
  await store1.flush();
  // The process dies here. A new one opens the same files three hours later.
  playProcessDeath(path);

  const clock2 = new ManualClock(T0 + 4 * HOUR + 1);
  const store2 = new FileStore({ path, fsync: false, now: () => clock2.now() });
  const second = new Scheduler({ store: store2, clock: clock2, timeZone: "UTC" });
  const runs: string[] = [];
  second.defineAction("work", { async run(ctx) { runs.push(ctx.execution.trigger); } });
  await second.start();
  await settle();
  t.match(second.getExecution(cutOff.id), { state: "Interrupted", reason: "ProcessRestarted" });
  t.same(runs, ["CatchUp"]);
  t.match(second.getJob(job.id), { runCount: 2, nextRunAt: iso(T0 + 5 * HOUR) });
  await second.stop();
  await store2.close();
});
