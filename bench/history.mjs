// Recurring jobs in service: CPU per run as each job's execution history fills
// up to its retention cap (100 runs by default) and then stays there, every
// new run pushing the oldest out. 1 000 jobs on an every-minute cron pattern,
// driven by a hand clock one minute at a time, so the figure is the
// scheduler's and the store's work alone (no timer lateness, no idle time).
// The goal is a flat line: a run at the cap costs what a run below it did.
//   HISTORY_JOBS=1000 HISTORY_ROUNDS=180 node bench/history.mjs
import { ManualClock, MemoryStore, Scheduler } from "../lib/src/index.js";
import { median } from "./stats.mjs";

const JOBS = Number(process.env.HISTORY_JOBS ?? 1_000);
const ROUNDS = Number(process.env.HISTORY_ROUNDS ?? 180);
const CAP = 100;
const PHASE = 20;

const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 30));
const store = new MemoryStore({ retention: { maxPerJob: CAP }, now: () => clock.now() });
const scheduler = new Scheduler({ timeZone: "UTC", workerPoolSize: 5, clock, store });
let started = 0;
scheduler.defineAction("noop", { run: async () => void started++ });
await scheduler.start();
for (let i = 0; i < JOBS; i++) {
  await scheduler.createJob({ name: `every minute ${i}`, schedule: { type: "Cron", cron: "0 * * * * *" }, steps: [{ action: "noop", targets: [`m${i}`] }] });
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

const phases = [];
let cpu = 0;
for (let round = 1; round <= ROUNDS; round++) {
  started = 0;
  const c0 = process.cpuUsage();
  clock.advance(60_000);
  while (started < JOBS) await turn();
  // The runs' final records, and the store's retention with them, are written a few turns after the last start.
  for (let k = 0; k < 3; k++) await turn();
  const c = process.cpuUsage(c0);
  cpu += c.user + c.system;
  if (round % PHASE === 0) {
    // A phase is at the cap once every run in it pushes an older one out.
    phases.push({ rounds: `${round - PHASE + 1}-${round}`, historyPerJob: Math.min(round, CAP), atCap: round - PHASE + 1 > CAP, cpuUsPerRun: +(cpu / (PHASE * JOBS)).toFixed(1) });
    cpu = 0;
  }
}
const kept = store.listExecutions({ jobId: scheduler.listJobs({ limit: 1 }).items[0].id }).total;
await scheduler.stop();

// Each side is the median of its phases: one phase of 20 000 runs moves by 10-30% when the
// collector's helper threads (in the CPU figure) happen to mark the whole heap inside it.
// The first phase includes V8 compiling the run path: the baseline starts at the second.
const below = median(phases.slice(1).filter((p) => !p.atCap).map((p) => p.cpuUsPerRun));
const atCap = median(phases.filter((p) => p.atCap).map((p) => p.cpuUsPerRun));
console.log(
  JSON.stringify({
    jobs: JOBS,
    rounds: ROUNDS,
    maxPerJob: CAP,
    keptPerJobAtEnd: kept,
    phases,
    atCapVsBelow: below && atCap ? +(atCap / below).toFixed(2) : null,
    goal: { atCapVsBelow: 1.2 },
  }),
);
