// Timer lateness on the real clock, Shoal against croner in the same process run.
//
// "spread": 10 000 jobs with no-op actions due at whole seconds over 10 s, so
// 1 000 fall due at each instant. "burst": 1 000 jobs due at one instant; its
// figure is the last start. Lateness = when the action starts - the instant the
// job was due; the 1000th job of an instant includes starting the 999 before it.
// The anchor is croner with one `Cron` per job (a one-shot at the same instant).
// CPU per fired job covers the whole firing window (GC threads included).
// Both sides are set up first; then each fires in a window of its own, the
// order alternating per round; TIMER_ROUNDS repeats them.
//   POOL=5 TIMER_ROUNDS=1 node bench/timers.mjs
import { Cron } from "croner";
import { Scheduler } from "../lib/src/index.js";

const poolSize = Number(process.env.POOL ?? 5);
const rounds = Number(process.env.TIMER_ROUNDS ?? 1);
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

const SETUP = { shoal: setUpShoal, croner: setUpCroner };

/** Per-job set-up cost of each side, so the first instant lies far enough ahead. */
async function setupCostMs(side) {
  const far = Date.now() + 3_600_000;
  const t0 = performance.now();
  const stop = await SETUP[side](Array.from({ length: 200 }, (_, i) => far + i * 1000), []);
  const each = (performance.now() - t0) / 200;
  await stop();
  return each;
}

/**
 * One round: both sides set up first, then each fires in its own window (no
 * set-up work running meanwhile), in `order`: the spread (10 000 jobs over 10
 * instants) then the burst (1 000 jobs at one instant).
 */
async function round(order, costs, margin) {
  const plan = [];
  for (const kind of ["spread", "burst"]) for (const side of order) plan.push({ kind, side });
  const setupMs = plan.reduce((ms, p) => ms + costs[p.side] * (p.kind === "spread" ? 10_000 : 1_000), 0);
  let at = Math.ceil((Date.now() + setupMs * margin + 3000) / 1000) * 1000;
  for (const p of plan) {
    const count = p.kind === "spread" ? 10_000 : 1_000;
    const seconds = p.kind === "spread" ? 10 : 1;
    p.instants = Array.from({ length: count }, (_, i) => at + (i % seconds) * 1000);
    p.first = at;
    at += (seconds + 2) * 1000;
  }
  for (const p of plan) {
    p.lateness = [];
    p.stop = await SETUP[p.side](p.instants, p.lateness);
  }
  const out = { spread: {}, burst: {} };
  if (Date.now() >= plan[0].first - 500) {
    // The machine was busier than the estimate: try again with more room.
    for (const p of plan) await p.stop();
    return null;
  }
  for (const p of plan) {
    await new Promise((r) => setTimeout(r, p.first - Date.now() - 150));
    globalThis.gc?.();
    const cpu0 = process.cpuUsage();
    await waitFor(p.instants.length, p.lateness);
    const cpu = process.cpuUsage(cpu0);
    out[p.kind][p.side] = { latenessMs: percentiles(p.lateness), cpuUsPerFiredJob: +((cpu.user + cpu.system) / p.instants.length).toFixed(1) };
  }
  for (const p of plan) await p.stop();
  return out;
}

const ratio = (a, b) => +(a / Math.max(b, 0.01)).toFixed(2);
const runs = [];
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? ["shoal", "croner"] : ["croner", "shoal"];
  const costs = { shoal: await setupCostMs("shoal"), croner: await setupCostMs("croner") };
  let result = null;
  for (let margin = 1.5; result === null; margin *= 2) result = await round(order, costs, margin);
  runs.push({
    ...result,
    ratios: {
      spreadP50: ratio(result.spread.shoal.latenessMs.p50, result.spread.croner.latenessMs.p50),
      spreadP99: ratio(result.spread.shoal.latenessMs.p99, result.spread.croner.latenessMs.p99),
      burstLastStart: ratio(result.burst.shoal.latenessMs.max, result.burst.croner.latenessMs.max),
      cpuPerFiredJob: ratio(result.spread.shoal.cpuUsPerFiredJob, result.spread.croner.cpuUsPerFiredJob),
    },
  });
}
const span = (key) => [Math.min(...runs.map((r) => r.ratios[key])), Math.max(...runs.map((r) => r.ratios[key]))];
console.log(
  JSON.stringify({
    workerPoolSize: poolSize,
    runs,
    summary: {
      spreadP50Ratio: span("spreadP50"),
      spreadP99Ratio: span("spreadP99"),
      burstLastStartRatio: span("burstLastStart"),
      shoalCpuUsPerFiredJob: runs.map((r) => r.spread.shoal.cpuUsPerFiredJob),
    },
    goal: { latenessRatio: 1, burstRatio: 1, cpuUsPerFiredJob: 40 },
  }),
);
