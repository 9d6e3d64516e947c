// Latency of the gateway's job routes with 10 000 stored jobs on a FileStore
// (fsync on, as in production): GET one job, GET a collection page ($top=50),
// POST a MultiFish-style job. Each is driven by a few concurrent clients in an
// undici loop for a fixed time after a short warm-up. Client and server share
// this process (and its two cores), so the figures include the client's own
// overhead: they are an upper bound on what the server adds.
//   node bench/api.mjs [jobs=10000] [seconds=10] [clients=4]
// (API_BENCH_SECONDS sets the seconds per route when no argument does; `npm run bench` uses 5.)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Pool } from "undici";
import { createGateway } from "../lib/gateway/app.js";
import { DEFAULT_CONFIG } from "../lib/gateway/config.js";
import { createLogger } from "../lib/gateway/log.js";
import { MachineRegistry } from "../lib/gateway/platform/registry.js";
import { Scheduler } from "../lib/src/scheduler/scheduler.js";
import { FileStore } from "../lib/src/store/file-store.js";

const [jobCount = 10_000, seconds = Number(process.env.API_BENCH_SECONDS ?? 10), clients = 4] = process.argv.slice(2).map(Number);
const WARMUP_MS = 1000;
const MACHINES = 50;
const CREATE_BATCH = 500;

const dir = await mkdtemp(join(tmpdir(), "shoal-api-bench-"));
const store = new FileStore({ path: join(dir, "shoal.json") });
const scheduler = new Scheduler({ store, timeZone: "UTC" });
scheduler.defineAction("PatchProfile", { run: async () => ({ message: "ok" }) });
await scheduler.start();
const registry = new MachineRegistry(store);
const machineIds = Array.from({ length: MACHINES }, (_, i) => `rack${Math.floor(i / 10)}-node${String(i % 10).padStart(2, "0")}`);
for (const id of machineIds) {
  await registry.create({ id, type: "Extend", endpoint: `https://10.0.${Math.floor(id.length / 10)}.${machineIds.indexOf(id) + 10}`, username: "root", password: "bench-password" });
}

const payload = [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }];
const setupStarted = performance.now();
for (let made = 0; made < jobCount; made += CREATE_BATCH) {
  const batch = [];
  for (let i = made; i < Math.min(jobCount, made + CREATE_BATCH); i++) {
    const first = i % (MACHINES - 10);
    batch.push(
      scheduler.createJob({
        name: `stored job ${i}`,
        // Once a year, so nothing falls due while the bench runs.
        schedule: { type: "Cron", cron: `${i % 60} 3 1 1 *` },
        steps: [{ action: "PatchProfile", targets: machineIds.slice(first, first + 10), payload }],
      }),
    );
  }
  await Promise.all(batch);
}
const setupMs = performance.now() - setupStarted;
const storedIds = scheduler.listJobs().items.map((j) => j.id);

const gateway = createGateway({
  scheduler,
  registry,
  config: { ...DEFAULT_CONFIG },
  // The request log is formatted as in production, then dropped (stdout carries the result).
  log: createLogger({ level: "info", sink: () => {} }),
});
const { url } = await gateway.listen(0, "127.0.0.1");
const pool = new Pool(url, { connections: clients, pipelining: 1 });

const postBody = JSON.stringify({
  Name: "Nightly PowerSaver",
  Machines: machineIds.slice(0, 10),
  Action: "PatchProfile",
  Payload: payload,
  Schedule: { Type: "Continuous", Time: "22:00:00", Period: { StartDay: "2099-01-01", EndDay: "2099-12-31", DaysOfWeek: ["Monday", "Wednesday", "Friday"], DaysOfMonth: null } },
});
const pick = (list) => list[Math.floor(Math.random() * list.length)];

const scenarios = {
  getJob: { expect: 200, request: () => ({ method: "GET", path: `/MultiFish/v1/JobService/Jobs/${pick(storedIds)}` }) },
  getCollectionPage: {
    expect: 200,
    request: () => ({ method: "GET", path: `/MultiFish/v1/JobService/Jobs?$top=50&$skip=${Math.floor(Math.random() * (jobCount - 50))}` }),
  },
  postJob: {
    expect: 201,
    request: () => ({ method: "POST", path: "/MultiFish/v1/JobService/Jobs", headers: { "content-type": "application/json" }, body: postBody }),
  },
};

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function drive(scenario, durationMs, record) {
  const latencies = [];
  let errors = 0;
  const until = performance.now() + durationMs;
  const client = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const res = await pool.request(scenario.request());
      await res.body.dump();
      const ms = performance.now() - started;
      if (res.statusCode !== scenario.expect) errors++;
      if (record) latencies.push(ms);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { latencies, errors };
}

const round = (ms) => (ms === null ? null : Math.round(ms * 100) / 100);
const results = {};
for (const [name, scenario] of Object.entries(scenarios)) {
  await drive(scenario, WARMUP_MS, false);
  const before = store.stats;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const { latencies, errors } = await drive(scenario, seconds * 1000, true);
  loop.disable();
  const after = store.stats;
  latencies.sort((a, b) => a - b);
  results[name] = {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1] ?? null),
    unexpectedStatus: errors,
    // What stalls everything: the longest the event loop was blocked, and whole-state snapshots the store wrote meanwhile.
    eventLoopDelayMaxMs: round(loop.max / 1e6),
    storeJournalWrites: after.journalWrites - before.journalWrites,
    storeSnapshotWrites: after.snapshotWrites - before.snapshotWrites,
  };
}

const readsOk = results.getJob.p99Ms < 20 && results.getCollectionPage.p99Ms < 20;
console.log(
  JSON.stringify({
    storedJobs: jobCount,
    jobsAtEnd: scheduler.listJobs({ limit: 0 }).total,
    clients,
    secondsEach: seconds,
    warmupSecondsEach: WARMUP_MS / 1000,
    note: seconds < 10 ? `shortened run: ${seconds} s per route instead of 10` : undefined,
    store: "FileStore, fsync on",
    setupSecondsFor10kJobs: Math.round(setupMs / 100) / 10,
    ...results,
    goal: { readP99Ms: 20, createP99Ms: 30, readsMet: readsOk, createsMet: results.postJob.p99Ms < 30 },
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);

await pool.close();
await gateway.close();
await scheduler.stop({ graceMs: 0 });
await store.close();
await rm(dir, { recursive: true, force: true });
