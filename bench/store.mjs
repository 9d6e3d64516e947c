// Durable store: start-up time and RSS of a scheduler over 100 000 stored jobs
// (each one step with 10 targets), and the time to create 10 000 jobs one by
// one, awaiting each (every creation synced to disk before it resolves).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FileStore, Scheduler } from "../lib/src/index.js";

const JOBS = Number(process.env.STORE_BENCH_JOBS ?? 100_000);
const CREATES = Number(process.env.STORE_BENCH_CREATES ?? 10_000);

async function startupChild(path) {
  const t0 = performance.now();
  const store = new FileStore({ path });
  const scheduler = new Scheduler({ store, timeZone: "UTC" });
  scheduler.defineAction("noop", { run: async () => undefined });
  await scheduler.start();
  const startMs = performance.now() - t0;
  globalThis.gc?.();
  const rss = process.memoryUsage().rss;
  const jobs = scheduler.listJobs({ limit: 1 }).total;
  await scheduler.stop({ graceMs: 0 });
  console.log(JSON.stringify({ startMs: Math.round(startMs), rssMB: Math.round(rss / 1048576), jobs }));
}

function fakeJob(i, now) {
  const id = `Job-bench${String(i).padStart(7, "0")}`;
  return {
    id,
    name: `bench ${i}`,
    description: null,
    enabled: true,
    pausedReason: null,
    cancelled: false,
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

async function main() {
  if (process.argv[2] === "--startup") return startupChild(process.argv[3]);
  const dir = mkdtempSync(join(tmpdir(), "shoal-bench-store-"));
  try {
    // 1. A state file with JOBS jobs, written through the store itself.
    const path = join(dir, "big.json");
    const seed = new FileStore({ path, fsync: false });
    await seed.open();
    const now = new Date().toISOString();
    const t0 = performance.now();
    for (let i = 0; i < JOBS; i += 1000) {
      await Promise.all(Array.from({ length: Math.min(1000, JOBS - i) }, (_, k) => seed.saveJob(fakeJob(i + k, now))));
    }
    await seed.close();
    const seedMs = performance.now() - t0;
    const fileMB = +(statSync(path).size / 1048576).toFixed(1);

    // 2. Start-up in a fresh process, twice (the second with a warm page cache).
    const script = fileURLToPath(import.meta.url);
    const startups = [0, 1].map(() => {
      const run = spawnSync(process.execPath, ["--expose-gc", script, "--startup", path], { encoding: "utf8" });
      return JSON.parse(run.stdout);
    });

    // 3. Creating jobs one by one, each awaited (and synced) before the next.
    const small = new FileStore({ path: join(dir, "creates.json") });
    const scheduler = new Scheduler({ store: small, timeZone: "UTC" });
    scheduler.defineAction("noop", { run: async () => undefined });
    await scheduler.start();
    const c0 = performance.now();
    for (let i = 0; i < CREATES; i++) {
      await scheduler.createJob({
        name: `create ${i}`,
        schedule: { type: "Continuous", time: "22:00", period: { daysOfWeek: ["Monday", "Friday"] } },
        steps: [{ action: "noop", targets: Array.from({ length: 10 }, (_, k) => `server-${k}`) }],
      });
    }
    const createMs = performance.now() - c0;
    const stats = small.stats;
    await scheduler.stop({ graceMs: 0 });
    await small.close();

    console.log(
      JSON.stringify({
        storedJobs: JOBS,
        stateFileMB: fileMB,
        seedWriteMs: Math.round(seedMs),
        startupMs: startups.map((s) => s.startMs),
        startupRssMB: startups.map((s) => s.rssMB),
        goal: { startupMs: 2000, rssMB: 300 },
        createsAwaitedOneByOne: CREATES,
        createTotalMs: Math.round(createMs),
        createPerJobMs: +(createMs / CREATES).toFixed(3),
        createJournalWrites: stats.journalWrites,
        createSnapshotWrites: stats.snapshotWrites,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
