// Gateway start-up against a scheduler holding many jobs: the time to build
// the event bridge and the metrics (which once paged through every job) and
// the whole createGateway(), at a small and a large job count. The goal:
// start-up cost that does not grow with the number of jobs kept
// (ratio large/small of the bridge + metrics time near 1).
import { createGateway } from "../lib/gateway/app.js";
import { DEFAULT_CONFIG } from "../lib/gateway/config.js";
import { SchedulerEventSource } from "../lib/gateway/events/scheduler-events.js";
import { EventHub } from "../lib/gateway/events/event-hub.js";
import { GatewayMetrics } from "../lib/gateway/metrics/gateway-metrics.js";
import { createLogger } from "../lib/gateway/log.js";
import { MemoryStore, Scheduler } from "../lib/src/index.js";
import { median } from "./stats.mjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SIZES = (process.env.GATEWAY_START_JOBS ?? "1000,50000").split(",").map(Number);
const ROUNDS = Number(process.env.GATEWAY_START_ROUNDS ?? 7);

function fakeJob(i, now) {
  return {
    id: `Job-bench${String(i).padStart(7, "0")}`,
    name: `bench ${i}`,
    description: null,
    // Some paused and some cancelled, as a long-lived gateway has.
    enabled: i % 10 !== 0,
    pausedReason: null,
    cancelled: i % 20 === 1,
    schedule: { type: "Continuous", time: `${String(i % 24).padStart(2, "0")}:00`, timeZone: "UTC", period: { daysOfWeek: ["Monday", "Wednesday", "Friday"] } },
    steps: [{ name: "patch", action: "noop", targets: Array.from({ length: 10 }, (_, k) => `server-${(i * 10 + k) % 5000}`), payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }], mode: "Sequential", continueOnFailure: false }],
    policy: { overlap: "Skip", misfire: "RunOnce" },
    createdAt: now,
    updatedAt: now,
    lastRunAt: null,
    nextRunAt: null,
    runCount: 0,
  };
}

const round2 = (x) => Math.round(x * 100) / 100;

async function measure(jobs) {
  const store = new MemoryStore();
  const now = new Date().toISOString();
  for (let i = 0; i < jobs; i++) await store.saveJob(fakeJob(i, now));
  const scheduler = new Scheduler({ store, timeZone: "UTC" });
  scheduler.defineAction("noop", { run: async () => undefined });
  await scheduler.start();
  const dir = mkdtempSync(join(tmpdir(), "shoal-bench-start-"));
  const log = createLogger({ level: "error", sink: () => undefined });
  const bridge = [];
  const whole = [];
  for (let r = 0; r < ROUNDS; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    const hub = new EventHub();
    const source = new SchedulerEventSource(scheduler, hub);
    const fakeEvents = { hub, streams: { count: 0 }, outbox: { observe: () => undefined } };
    const metrics = new GatewayMetrics(scheduler, fakeEvents);
    bridge.push(performance.now() - t0);
    source.close();
    metrics.close();
    const t1 = performance.now();
    const gateway = createGateway({ scheduler, log, config: { ...DEFAULT_CONFIG, logsDir: join(dir, "logs"), dataDir: join(dir, "data") } });
    whole.push(performance.now() - t1);
    await gateway.close();
  }
  await scheduler.stop({ graceMs: 0 });
  rmSync(dir, { recursive: true, force: true });
  return { jobs, bridgeAndMetricsMs: round2(median(bridge)), createGatewayMs: round2(median(whole)), spreadMs: [round2(Math.min(...bridge)), round2(Math.max(...bridge))] };
}

const rows = [];
for (const n of SIZES) rows.push(await measure(n));
const first = rows[0];
const last = rows[rows.length - 1];
console.log(
  JSON.stringify({
    rows,
    bridgeAndMetricsLargeVsSmall: round2(last.bridgeAndMetricsMs / Math.max(first.bridgeAndMetricsMs, 0.01)),
    createGatewayLargeVsSmall: round2(last.createGatewayMs / Math.max(first.createGatewayMs, 0.01)),
    goal: "bridge + metrics start-up flat in the number of jobs (ratio near 1)",
  }),
);
