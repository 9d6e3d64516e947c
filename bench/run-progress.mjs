// Durable per-target progress: one run over 2 000 targets (an action that awaits 5 ms, a pool of 100)
// on a synced FileStore. Each target's start and outcome is a journal line; they share the journal's
// syncs, so the number of journal writes (one sync each) stays far below the 4 000 lines.
// Compared with the same run on a store without per-target writes (progress only at the run's end).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore, Scheduler } from "../lib/src/index.js";

const TARGETS = 2_000;
const POOL = 100;
const LATENCY_MS = 5;

async function once(perTarget) {
  const dir = mkdtempSync(join(tmpdir(), "shoal-bench-progress-"));
  try {
    const store = new FileStore({ path: join(dir, "shoal.json") });
    if (!perTarget) store.saveTargetResult = undefined;
    const scheduler = new Scheduler({ store, timeZone: "UTC", workerPoolSize: POOL });
    scheduler.defineAction("slow", { run: () => new Promise((r) => setTimeout(r, LATENCY_MS)) });
    await scheduler.start();
    const targets = Array.from({ length: TARGETS }, (_, i) => `server-${i}`);
    const job = await scheduler.createJob({ name: "progress", schedule: { type: "Manual" }, steps: [{ action: "slow", targets }] });
    const before = store.stats;
    const t0 = performance.now();
    const run = await scheduler.trigger(job.id);
    await scheduler.waitForExecution(run.id);
    await store.flush();
    const ms = performance.now() - t0;
    const after = store.stats;
    await scheduler.stop();
    await store.close();
    return { ms: Math.round(ms), journalWrites: after.journalWrites - before.journalWrites, linesCommitted: after.changes - before.changes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await once(true); // warm-up
const perTarget = await once(true);
const endOnly = await once(false);
const ideal = (TARGETS * LATENCY_MS) / POOL;
console.log(JSON.stringify({ targets: TARGETS, pool: POOL, latencyMs: LATENCY_MS, idealMs: ideal, perTarget, endOnly }));
