// Timer lateness on the real clock, Shoal against croner in the same process run.
//
// "spread": 10 000 jobs with no-op actions due at whole seconds over 10 s, so
// 1 000 fall due at each instant. "burst": 1 000 jobs due at one instant; its
// figure is the last start. Lateness = when the action starts - the instant the
// job was due; the 1000th job of an instant includes starting the 999 before it.
// The anchor is croner with one `Cron` per job (a one-shot at the same instant).
// CPU per fired job covers the whole firing window (GC threads included);
// gcPauseMs is the main thread's garbage-collection pauses in that window.
// Each side and scenario runs in a child process of its own (its own heap, its
// own CPU count), the order alternating per round; TIMER_ROUNDS repeats them.
//
// What a fired job does. The action body is the same on both sides: it notes
// its own lateness. Croner calls it from the job's own timer. Shoal runs it the
// way it runs every job, nothing switched off for the bench: a one-step,
// one-target job (overlap Skip) whose run gets an execution record (Running,
// then Completed with the target's result and the run's health), goes through
// the shared worker pool (POOL) and the target lock, moves the job's nextRunAt,
// lastRunAt and runCount, and is written to the scheduler's store (a
// MemoryStore, which copies every record it is given).
//
// In service, not just started. Before the measured window each side fires
// TIMER_WARMUP_INSTANTS instants of 1 000 jobs (a second apart), then collects
// its garbage in full, so both measure a process that has run jobs before (as
// a scheduler in service has) just after a full collection (which a process in
// service goes through every so often), not V8 compiling the code for the first
// time: either side's code is still being compiled over its first few thousand
// runs. The first of those instants is reported too (firstInstant): a process's
// very first burst. TIMER_WARMUP_INSTANTS=0 measures a cold process.
// TIMER_SECONDS=5 spreads 5 000 jobs over 5 s (still 1 000 per second;
// `npm run bench` uses it to stay short).
//
// A second anchor for the burst: croner with the same pool. Shoal runs at most
// POOL actions at once, so its burst's last start comes after 995 actions have
// ended; croner calls all 1 000 at once. "croner-pooled" calls each job's
// action through p-limit(POOL), as a script that used croner with a
// concurrency limit would: what the limit itself costs, on croner's side.
//
// And a floor for Shoal: "shoal-floor" is the scheduler's own timer (one
// setTimeout over a heap, handing out due keys a slice at a time) and its own
// worker pool (POOL), calling croner's action body (the due instant captured:
// there is no record to read it from) with no job, no execution record, no
// target lock and no store. Its burst against croner's shows what
// the scheduler's timing and pool alone cost; the rest of Shoal's figure is
// what a run's bookkeeping adds (floorShare: the floor's last start as a share
// of Shoal's).
//   POOL=5 TIMER_ROUNDS=1 node bench/timers.mjs
import { spawnSync } from "node:child_process";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Cron } from "croner";
import pLimit from "p-limit";
import { Scheduler } from "../lib/src/index.js";
import { systemClock } from "../lib/src/scheduler/clock.js";
import { TimerQueue } from "../lib/src/scheduler/timer-queue.js";
import { WorkerPool } from "../lib/src/scheduler/worker-pool.js";

const poolSize = Number(process.env.POOL ?? 5);
const rounds = Number(process.env.TIMER_ROUNDS ?? 1);
const spreadSeconds = Number(process.env.TIMER_SECONDS ?? 10);
const warmInstants = Number(process.env.TIMER_WARMUP_INSTANTS ?? 4);
const PER_INSTANT = 1_000;
const here = fileURLToPath(import.meta.url);
const wallNow = () => performance.timeOrigin + performance.now();

function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => +sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2);
  return { p50: at(0.5), p99: at(0.99), max: +sorted[sorted.length - 1].toFixed(2) };
}

async function waitFor(jobs, lateness) {
  await new Promise((resolve) => {
    const poll = setInterval(() => {
      if (lateness.length >= jobs) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
}

/** Sets up n jobs due at the given instants; returns a function that tears them down. */
async function setUpShoal(instants, lateness) {
  const scheduler = new Scheduler({ timeZone: "UTC", workerPoolSize: poolSize });
  scheduler.defineAction("noop", {
    async run(ctx) {
      lateness.push(wallNow() - Date.parse(ctx.execution.scheduledFor));
    },
  });
  await scheduler.start();
  for (let i = 0; i < instants.length; i++) {
    const [date, time] = new Date(instants[i]).toISOString().slice(0, 19).split("T");
    await scheduler.createJob({
      name: `job-${i}`,
      schedule: { type: "Once", date, time, timeZone: "UTC" },
      steps: [{ action: "noop", targets: [`m${i}`] }],
    });
  }
  return () => scheduler.stop();
}

async function setUpCroner(instants, lateness) {
  const crons = instants.map((due) => new Cron(new Date(due), () => void lateness.push(wallNow() - due)));
  return () => crons.forEach((c) => c.stop());
}

async function setUpCronerPooled(instants, lateness) {
  const limit = pLimit(poolSize);
  const action = (due) => async () => void lateness.push(wallNow() - due);
  const crons = instants.map((due) => new Cron(new Date(due), () => void limit(action(due))));
  return () => crons.forEach((c) => c.stop());
}

async function setUpShoalFloor(instants, lateness) {
  const pool = new WorkerPool(poolSize);
  const action = async (due) => void lateness.push(wallNow() - due);
  const timers = new TimerQueue(systemClock, (i, due) => void pool.run(() => action(due)));
  instants.forEach((due, i) => timers.schedule(i, due));
  timers.start();
  return () => timers.stop();
}

const SETUP = { shoal: setUpShoal, croner: setUpCroner, "croner-pooled": setUpCronerPooled, "shoal-floor": setUpShoalFloor };

/** Per-job set-up cost of each side, so the first instant lies far enough ahead. */
async function setupCostMs(side) {
  const far = Date.now() + 3_600_000;
  const t0 = performance.now();
  const stop = await SETUP[side](Array.from({ length: 200 }, (_, i) => far + i * 1000), []);
  const each = (performance.now() - t0) / 200;
  await stop();
  return each;
}

/** Runs in a child process of its own: one side, one scenario, its own heap and its own CPU count. */
async function one(side, kind) {
  const seconds = kind === "spread" ? spreadSeconds : 1;
  const count = seconds * PER_INSTANT;
  const warm = warmInstants * PER_INSTANT;
  const costMs = await setupCostMs(side);
  const first = Math.ceil((Date.now() + costMs * (count + warm) * 1.5 + 2000) / 1000) * 1000;
  const measured = first + warmInstants * 1000;
  const instants = [
    ...Array.from({ length: warm }, (_, i) => first + Math.floor(i / PER_INSTANT) * 1000),
    ...Array.from({ length: count }, (_, i) => measured + (i % seconds) * 1000),
  ];
  const lateness = [];
  const stop = await SETUP[side](instants, lateness);
  if (Date.now() >= first - 200) throw new Error("setting the jobs up took longer than estimated");
  let firstInstant = null;
  if (warm > 0) {
    await new Promise((r) => setTimeout(r, first - Date.now() - 150));
    const cpu0 = process.cpuUsage();
    await waitFor(PER_INSTANT, lateness);
    const cpu = process.cpuUsage(cpu0);
    firstInstant = { latenessMs: percentiles(lateness.slice(0, PER_INSTANT)), cpuUsPerFiredJob: +((cpu.user + cpu.system) / PER_INSTANT).toFixed(1) };
    await waitFor(warm, lateness);
    lateness.length = 0;
  }
  await new Promise((r) => setTimeout(r, measured - Date.now() - 150));
  globalThis.gc?.();
  // The main thread's garbage-collection pauses in the window (the collector's helper threads are in the CPU figure only).
  let gcPauseMs = 0;
  const gcs = new PerformanceObserver((list) => list.getEntries().forEach((e) => (gcPauseMs += e.duration)));
  gcs.observe({ entryTypes: ["gc"] });
  const cpu0 = process.cpuUsage();
  await waitFor(count, lateness);
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, 50)); // observer entries arrive on a later turn
  gcs.disconnect();
  await stop();
  console.log(JSON.stringify({ latenessMs: percentiles(lateness), cpuUsPerFiredJob: +((cpu.user + cpu.system) / count).toFixed(1), gcPauseMs: +gcPauseMs.toFixed(1), firstInstant }));
}

function child(side, kind) {
  const run = spawnSync(process.execPath, ["--expose-gc", here, "--one", side, kind], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 5 * 60 * 1000 });
  try {
    return JSON.parse(run.stdout);
  } catch {
    return { error: `exit ${run.status}`, output: run.stdout.slice(-300) };
  }
}

if (process.argv[2] === "--one") {
  await one(process.argv[3], process.argv[4]);
  process.exit(0);
}

const ratio = (a, b) => (a === undefined || b === undefined ? null : +(a / Math.max(b, 0.01)).toFixed(2));
const runs = [];
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? ["shoal", "croner"] : ["croner", "shoal"];
  const result = { spread: {}, burst: {} };
  for (const kind of ["spread", "burst"]) for (const side of order) result[kind][side] = child(side, kind);
  result.burst["croner-pooled"] = child("croner-pooled", "burst");
  result.burst["shoal-floor"] = child("shoal-floor", "burst");
  runs.push({
    ...result,
    ratios: {
      spreadP50: ratio(result.spread.shoal.latenessMs?.p50, result.spread.croner.latenessMs?.p50),
      spreadP99: ratio(result.spread.shoal.latenessMs?.p99, result.spread.croner.latenessMs?.p99),
      burstLastStart: ratio(result.burst.shoal.latenessMs?.max, result.burst.croner.latenessMs?.max),
      burstLastStartVsPooledCroner: ratio(result.burst.shoal.latenessMs?.max, result.burst["croner-pooled"].latenessMs?.max),
      floorBurstLastStart: ratio(result.burst["shoal-floor"].latenessMs?.max, result.burst.croner.latenessMs?.max),
      floorShare: ratio(result.burst["shoal-floor"].latenessMs?.max, result.burst.shoal.latenessMs?.max),
      cpuPerFiredJob: ratio(result.spread.shoal.cpuUsPerFiredJob, result.spread.croner.cpuUsPerFiredJob),
      firstInstantLastStart: ratio(result.burst.shoal.firstInstant?.latenessMs.max, result.burst.croner.firstInstant?.latenessMs.max),
      firstInstantCpu: ratio(result.burst.shoal.firstInstant?.cpuUsPerFiredJob, result.burst.croner.firstInstant?.cpuUsPerFiredJob),
    },
  });
}
const span = (key) => {
  const vs = runs.map((r) => r.ratios[key]).filter((v) => v !== null);
  return vs.length === 0 ? null : [Math.min(...vs), Math.max(...vs)];
};
console.log(
  JSON.stringify({
    workerPoolSize: poolSize,
    spread: { jobs: spreadSeconds * 1000, seconds: spreadSeconds },
    burst: { jobs: PER_INSTANT },
    warmUp: { instants: warmInstants, jobsPerInstant: PER_INSTANT },
    runs,
    summary: {
      spreadP50Ratio: span("spreadP50"),
      spreadP99Ratio: span("spreadP99"),
      burstLastStartRatio: span("burstLastStart"),
      burstLastStartVsPooledCronerRatio: span("burstLastStartVsPooledCroner"),
      floorBurstLastStartRatio: span("floorBurstLastStart"),
      floorShareOfShoal: span("floorShare"),
      cpuPerFiredJobRatio: span("cpuPerFiredJob"),
      firstInstantLastStartRatio: span("firstInstantLastStart"),
      firstInstantCpuRatio: span("firstInstantCpu"),
      shoalCpuUsPerFiredJob: runs.map((r) => r.spread.shoal.cpuUsPerFiredJob),
      cronerCpuUsPerFiredJob: runs.map((r) => r.spread.croner.cpuUsPerFiredJob),
    },
    goal: { latenessRatio: 1, burstRatio: 1, cpuUsPerFiredJob: 40 },
  }),
);
