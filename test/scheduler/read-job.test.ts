/**
 * Scheduler.readJob hands out the job as held, and the object stands for one
 * revision of its definition: runs change it in place, every change of
 * definition, enabled or cancelled state replaces it. The gateway caches a
 * job's rendering per object on that promise.
 */
import t from "tap";
import { harness } from "./helpers.js";

t.test("readJob: one object while only runs happen, a new one on each change of definition, pause, resume, cancel or another instance's change", async (t) => {
  const { clock, scheduler } = await harness();
  scheduler.defineAction("act", { run: async (ctx) => ctx.target });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "act", targets: ["a", "b"] }] });
  const held = scheduler.readJob(job.id);
  t.not(held, scheduler.getJob(job.id), "getJob still copies");
  t.same(held, scheduler.getJob(job.id));

  const run = await scheduler.trigger(job.id);
  await clock.advance(1);
  await scheduler.waitForExecution(run.id);
  t.equal(scheduler.readJob(job.id), held, "a run keeps the object");
  t.equal(held.runCount, 1, "and shows in it");

  const seen = new Set([held]);
  const changed = (what: string): void => {
    const now = scheduler.readJob(job.id);
    t.notOk(seen.has(now), `${what} replaces the object`);
    seen.add(now);
  };
  await scheduler.updateJob(job.id, { name: "renamed" });
  changed("a patch");
  await scheduler.pauseJob(job.id);
  changed("a pause");
  await scheduler.resumeJob(job.id);
  changed("a resume");
  scheduler.syncJob(job.id, { ...scheduler.getJob(job.id), description: "from another instance" });
  changed("another instance's change");
  await scheduler.cancelJob(job.id);
  changed("a cancel");
  t.throws(() => scheduler.readJob("Job-nope"), { code: "NotFound" });
});

t.test("readJobs: every job as held, in creation order", async (t) => {
  const { scheduler } = await harness();
  scheduler.defineAction("act", { run: async () => undefined });
  const spec = { schedule: { type: "Manual" as const }, steps: [{ action: "act", targets: ["a"] }] };
  const first = await scheduler.createJob({ name: "first", ...spec });
  const second = await scheduler.createJob({ name: "second", ...spec });
  const all = scheduler.readJobs();
  t.same(all.map((j) => j.id), [first.id, second.id]);
  t.equal(all[0], scheduler.readJob(first.id), "the objects readJob hands out, not copies");
  t.equal(all[1], scheduler.readJob(second.id));
});
