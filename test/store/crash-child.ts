/**
 * A process for the kill -9 tests: it works on a FileStore-backed scheduler and
 * prints a line for each thing that is durable, so the parent knows what must
 * survive when it kills this process.
 *
 *   node crash-child.js burst <state file>    creates jobs forever, printing "job <id>"
 *   node crash-child.js running <state file> <ISO instant>
 *       creates a Manual job and starts a run that never ends, plus a Once job
 *       due at the given instant under each misfire policy; prints "ready ..."
 *       Its clock stands still a minute before that instant, so the Once jobs
 *       never come due while it lives, however slowly a busy machine runs it.
 *   node crash-child.js progress <state file>
 *       triggers a run over 40 targets, 4 at a time: f0..f19 succeed after a
 *       moment, s0..s19 never answer; prints "run <job id> <execution id>",
 *       then "durable <target>" once each finished target's result is on disk
 */
import { ManualClock } from "../../src/scheduler/clock.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { FileStore } from "../../src/store/file-store.js";

const [mode, path, dueAt] = process.argv.slice(2);
const due = dueAt === undefined ? undefined : new Date(dueAt);
// A small compaction threshold, folded as soon as due, makes journal sealing and snapshots happen mid-burst.
const compactAfterBytes = Number(process.env.CRASH_COMPACT_BYTES ?? 4 * 1024 * 1024);
const store = new FileStore({ path: path!, compactAfterBytes, ...(process.env.CRASH_COMPACT_BYTES ? { compactWhenQuietMs: 0 } : {}) });
const scheduler = new Scheduler({ store, timeZone: "UTC", workerPoolSize: 4, ...(due ? { clock: new ManualClock(due.getTime() - 60_000) } : {}) });
scheduler.defineAction("work", { run: () => new Promise(() => {}) });
scheduler.defineAction("some-answer", {
  run: (ctx) => (ctx.target.startsWith("f") ? new Promise((resolve) => setTimeout(() => resolve("patched"), 10)) : new Promise(() => {})),
});
await scheduler.start();

if (mode === "burst") {
  // Four writers at once, so commits are shared as they are under load.
  const writer = async (w: number) => {
    for (let i = 0; ; i++) {
      const job = await scheduler.createJob({
        name: `burst ${w}-${i}`,
        schedule: { type: "Cron", cron: "0 22 * * 1-5" },
        steps: [{ action: "work", targets: ["m1", "m2"] }],
      });
      process.stdout.write(`job ${job.id}\n`);
    }
  };
  await Promise.all([0, 1, 2, 3].map(writer));
} else if (mode === "progress") {
  const targets = [...Array.from({ length: 20 }, (_, i) => `f${i}`), ...Array.from({ length: 20 }, (_, i) => `s${i}`)];
  const job = await scheduler.createJob({ name: "fan-out", schedule: { type: "Manual" }, steps: [{ action: "some-answer", targets }] });
  scheduler.on("taskFinished", (event) => {
    // flush() resolves once every write issued so far, this result's included, is synced.
    void store.flush().then(() => process.stdout.write(`durable ${event.result.target}\n`));
  });
  const execution = await scheduler.trigger(job.id);
  process.stdout.write(`run ${job.id} ${execution.id}\n`);
} else {
  const manual = await scheduler.createJob({ name: "long", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["m1"] }] });
  const execution = await scheduler.trigger(manual.id);
  const once = (misfire: "RunOnce" | "Skip") =>
    scheduler.createJob({
      name: `once ${misfire}`,
      schedule: { type: "Once", date: due!.toISOString().slice(0, 10), time: due!.toISOString().slice(11, 19), timeZone: "UTC" },
      policy: { misfire },
      steps: [{ action: "work", targets: ["m1"] }],
    });
  const runOnce = await once("RunOnce");
  const skip = await once("Skip");
  await store.flush();
  process.stdout.write(`ready ${execution.id} ${runOnce.id} ${skip.id}\n`);
}
