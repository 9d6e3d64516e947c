/**
 * The bridge from the core's events to the hub reads nothing at start (so a
 * gateway keeping many jobs starts as fast as an empty one) and still tells a
 * pause and a resume of a job it never saw from other changes.
 */
import t, { type Test } from "tap";
import { EventHub } from "../../../gateway/events/event-hub.js";
import type { ShoalEvent } from "../../../gateway/events/event-record.js";
import { SchedulerEventSource } from "../../../gateway/events/scheduler-events.js";
import { Scheduler } from "../../../src/scheduler/scheduler.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { countJobCopies } from "../../helpers/job-copies.js";

/** A running scheduler with one quick action, "work". */
async function started(t: Test): Promise<Scheduler> {
  const scheduler = new Scheduler({ store: new MemoryStore(), timeZone: "UTC" });
  scheduler.defineAction("work", { run: async () => undefined });
  await scheduler.start();
  t.teardown(() => scheduler.stop({ graceMs: 0 }));
  return scheduler;
}

/** The events the bridge publishes for `scheduler`, as they come. */
function bridged(t: Test, scheduler: Scheduler): ShoalEvent[] {
  const hub = new EventHub();
  const seen: ShoalEvent[] = [];
  hub.subscribe((e) => seen.push(e));
  const bridge = new SchedulerEventSource(scheduler, hub);
  t.teardown(() => bridge.close());
  return seen;
}

t.test("jobs made before the bridge started: paused, resumed, changed, cancelled, without a read at start", async (t) => {
  const scheduler = await started(t);
  const spec = { schedule: { type: "Manual" as const }, steps: [{ action: "work", targets: ["a"] }] };
  const running = await scheduler.createJob({ name: "running", ...spec });
  const paused = await scheduler.createJob({ name: "paused", ...spec, enabled: false });

  const reads = countJobCopies(scheduler);
  const seen = bridged(t, scheduler);
  t.equal(reads.count, 0, "no job is read at start");

  await scheduler.updateJob(paused.id, { description: "still paused" });
  await scheduler.resumeJob(paused.id);
  await scheduler.pauseJob(running.id, { reason: "freeze" });
  await scheduler.cancelJob(running.id);
  t.same(
    seen.map((e) => [e.key, e.args]),
    [
      ["ResourceChanged", []],
      ["JobResumed", [paused.id]],
      ["JobPaused", [running.id, "freeze"]],
      ["ResourceChanged", []],
    ],
  );
  t.equal(reads.count, 0, "nor later");
});

t.test("a run's end names its job without copying the job", async (t) => {
  const scheduler = await started(t);
  const targets = Array.from({ length: 50 }, (_, i) => `m${i}`);
  const job = await scheduler.createJob({ name: "wide", schedule: { type: "Manual" }, steps: [{ action: "work", targets }] });

  const copies = countJobCopies(scheduler);
  const seen = bridged(t, scheduler);

  const run = await scheduler.trigger(job.id);
  await scheduler.waitForExecution(run.id);
  const end = seen.find((e) => e.key === "TaskCompletedOK");
  t.ok(end, "the run's end is published");
  t.equal((end?.detail as { jobName?: string } | undefined)?.jobName, "wide", "with the job's name");
  t.equal(copies.count, 0, "and no copy of the job");
});
