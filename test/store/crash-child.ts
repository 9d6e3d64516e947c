/**
 * A process for the kill -9 tests: it works on a FileStore-backed scheduler and
 * prints a line for each thing that is durable, so the parent knows what must
 * survive when it kills this process.
 *
 *   node crash-child.js burst <state file>    creates jobs forever, printing "job <id>"
 *   node crash-child.js running <state file>
 *       creates a Manual job and starts a run that never ends, plus a Once job
 *       due two seconds later (UTC, whole second) under each misfire policy;
 *       prints "ready <execution> <RunOnce job> <Skip job> <due ISO time>"
 *   node crash-child.js progress <state file>
 *       triggers a run over 40 targets, 4 at a time: f0..f19 succeed after a
 *       moment, s0..s19 never answer; prints "run <job id> <execution id>",
 *       then "durable <target>" once each finished target's result is on disk
 */
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { FileStore } from "../../src/store/file-store.js";

const [mode, path] = process.argv.slice(2);
// A small compaction threshold makes journal sealing and snapshots happen mid-burst.
const compactAfterBytes = Number(process.env.CRASH_COMPACT_BYTES ?? 4 * 1024 * 1024);
const store = new FileStore({ path: path!, compactAfterBytes });
const scheduler = new Scheduler({ store, timeZone: "UTC", workerPoolSize: 4 });
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
  // Counted from here, not from when the parent spawned us: starting may take seconds on a busy machine.
  const due = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
  const dueTime = due.toISOString().slice(11, 19);
  const once = (misfire: "RunOnce" | "Skip") =>
    scheduler.createJob({
      name: `once ${misfire}`,
      schedule: { type: "Once", time: dueTime, timeZone: "UTC" },
      policy: { misfire },
      steps: [{ action: "work", targets: ["m1"] }],
    });
  const runOnce = await once("RunOnce");
  const skip = await once("Skip");
  await store.flush();
  process.stdout.write(`ready ${execution.id} ${runOnce.id} ${skip.id} ${due.toISOString()}\n`);
}
