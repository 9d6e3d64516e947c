// Fan-out throughput: one job, 2 000 targets, an action that awaits 20 ms, a pool of 100.
// Ideal wall time = targets x 20 ms / pool = 400 ms; goal: within 1.15x of it.
// One unmeasured warm-up run, then the median of five.
import pLimit from "p-limit";
import { Scheduler } from "../lib/src/index.js";

const TARGETS = 2_000;
const LATENCY_MS = 20;
const POOL = 100;

const scheduler = new Scheduler({ timeZone: "UTC", workerPoolSize: POOL });
let inFlight = 0;
let maxInFlight = 0;
scheduler.defineAction("slow", {
  async run() {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, LATENCY_MS));
    inFlight--;
  },
});
await scheduler.start();
const targets = Array.from({ length: TARGETS }, (_, i) => `server-${i}`);
const job = await scheduler.createJob({ name: "fanout", schedule: { type: "Manual" }, steps: [{ action: "slow", targets }] });

const results = [];
let coldMs = 0;
for (let round = -1; round < 5; round++) {
  const t0 = performance.now();
  const started = await scheduler.trigger(job.id);
  const final = await scheduler.waitForExecution(started.id);
  const wallMs = performance.now() - t0;
  if (final.state !== "Completed") throw new Error(`run ended ${final.state}`);
  if (round < 0) coldMs = wallMs; // the first run warms up the JIT
  else results.push(wallMs);
}
await scheduler.stop();

// The same work through a bare p-limit, same process: what this machine allows right now.
const bare = [];
for (let round = 0; round < 5; round++) {
  const limit = pLimit(POOL);
  const t0 = performance.now();
  await Promise.all(targets.map(() => limit(() => new Promise((r) => setTimeout(r, LATENCY_MS)))));
  bare.push(performance.now() - t0);
}

const ideal = (TARGETS * LATENCY_MS) / POOL;
const best = Math.min(...results);
const median = [...results].sort((a, b) => a - b)[2];
console.log(
  JSON.stringify({
    targets: TARGETS,
    actionLatencyMs: LATENCY_MS,
    workerPoolSize: POOL,
    idealMs: ideal,
    coldWallMs: Math.round(coldMs),
    wallMs: results.map((r) => Math.round(r)),
    medianWallMs: Math.round(median),
    ratioToIdeal: +(median / ideal).toFixed(3),
    maxObservedConcurrency: maxInFlight,
    bareLimitMedianMs: Math.round([...bare].sort((a, b) => a - b)[2]),
    goal: { ratioToIdeal: 1.15 },
  }),
);
