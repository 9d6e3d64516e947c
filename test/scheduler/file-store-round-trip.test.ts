import { join } from "node:path";
import t from "tap";
import { ManualClock } from "../../src/scheduler/clock.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { FileStore } from "../../src/store/file-store.js";
import { HOUR, T0 } from "./helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

t.test("jobs of every schedule kind, some paused, come back equal from the file after a clean stop", async (t) => {
  const path = join(tempDir("shoal-roundtrip-"), "shoal.json");
  const clock = new ManualClock(T0);
  const store = new FileStore({ path, now: () => clock.now() });
  const first = new Scheduler({ store, clock, timeZone: "Asia/Taipei" });
  first.defineAction("work", { run: async () => "ok" });
  await first.start();
  const steps = [{ action: "work", targets: ["m1", "m2"] }];
  const created = [
    await first.createJob({ name: "once", schedule: { type: "Once", time: "09:00", date: "2026-12-01" }, steps }),
    await first.createJob({ name: "once-no-date", schedule: { type: "Once", time: "09:00" }, steps }),
    await first.createJob({
      name: "continuous",
      schedule: { type: "Continuous", time: "22:00", timeZone: "America/New_York", period: { daysOfWeek: ["Monday", "Friday"], daysOfMonth: [1, "L"], startDay: "2026-01-05", endDay: "2026-12-31" } },
      steps,
      policy: { overlap: "Queue", misfire: "Skip", retry: { maxAttempts: 3, initialDelayMs: 10, factor: 2, maxDelayMs: 100 }, maxConcurrency: 1 },
    }),
    await first.createJob({ name: "cron", schedule: { type: "Cron", cron: "*/15 * * * *" }, steps }),
    await first.createJob({ name: "manual", schedule: { type: "Manual" }, steps, enabled: false }),
  ];
  await first.pauseJob(created[3]!.id, { reason: "maintenance window" });
  await first.trigger(created[4]!.id);
  await clock.advance(1);
  const before = first.listJobs().items;
  const executionsBefore = first.listExecutions().items;
  await first.stop();
  await store.close();

  const store2 = new FileStore({ path, now: () => clock.now() });
  const second = new Scheduler({ store: store2, clock, timeZone: "Asia/Taipei" });
  second.defineAction("work", { run: async () => "ok" });
  await second.start();
  t.same(second.listJobs().items, before, "every field, nextRunAt and pause reason included");
  t.same(second.listExecutions().items, executionsBefore, "history too");
  t.match(second.getJob(created[3]!.id), { enabled: false, pausedReason: "maintenance window" });
  // And it keeps working: the cron job resumed fires on its next quarter hour.
  await second.resumeJob(created[3]!.id);
  await clock.advance(HOUR / 4);
  t.equal(second.listExecutions({ jobId: created[3]!.id }).items.length, 1);
  await second.stop();
  await store2.close();
});
