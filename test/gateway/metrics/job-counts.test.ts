/**
 * shoal_jobs: the jobs are read at the first scrape, not when the gateway
 * starts (a start costs the same however many jobs are kept), and the counts
 * follow the scheduler's events after that.
 */
import t from "tap";
import { EventHub } from "../../../gateway/events/event-hub.js";
import type { EventService } from "../../../gateway/events/event-service.js";
import { GatewayMetrics } from "../../../gateway/metrics/gateway-metrics.js";
import { Scheduler } from "../../../src/scheduler/scheduler.js";
import { MemoryStore } from "../../../src/store/memory-store.js";

function jobCounts(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^shoal_jobs\{status="(\w+)"\} (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

t.test("jobs by status are read at the first scrape, then kept by events", async (t) => {
  const scheduler = new Scheduler({ store: new MemoryStore(), timeZone: "UTC" });
  scheduler.defineAction("work", { run: async () => undefined });
  await scheduler.start();
  t.teardown(() => scheduler.stop({ graceMs: 0 }));
  const spec = { schedule: { type: "Manual" as const }, steps: [{ action: "work", targets: ["a"] }] };
  const first = await scheduler.createJob({ name: "one", ...spec });
  await scheduler.createJob({ name: "two", ...spec, enabled: false });

  let reads = 0;
  const listJobs = scheduler.listJobs.bind(scheduler);
  scheduler.listJobs = (query) => {
    reads++;
    return listJobs(query);
  };
  // Only what the metrics read of the event service.
  const events = { hub: new EventHub(), streams: { count: 0 }, outbox: { observe: () => undefined } } as unknown as EventService;
  const metrics = new GatewayMetrics(scheduler, events);
  t.teardown(() => metrics.close());
  t.equal(reads, 0, "nothing read at start");

  await scheduler.cancelJob(first.id);
  t.same(jobCounts((await metrics.scrape()).text), { enabled: 0, paused: 1, cancelled: 1 }, "the first scrape reads the jobs as they are");
  await scheduler.createJob({ name: "three", ...spec });
  const third = await scheduler.createJob({ name: "four", ...spec });
  await scheduler.deleteJob(third.id);
  t.same(jobCounts((await metrics.scrape()).text), { enabled: 1, paused: 1, cancelled: 1 }, "later ones follow the events");
  t.equal(reads, 1, "the jobs were read once");
});
