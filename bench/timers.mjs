// Timer lateness: 10 000 enabled jobs with no-op actions, due at whole seconds over the
// next 10 s on the real clock (1 000 per second, the finest a Once schedule can say).
// Lateness = when the action starts - the instant the job was due. Because 1 000 jobs share
// each instant, this includes starting the 999 others before it; `startedAtLatenessMs`
// (the execution's startedAt - its due instant, ms resolution) shows when the scheduler
// woke and began each run. Also the scheduler's CPU time per fired job over the window.
import { Scheduler } from "../lib/src/index.js";

const JOBS = 10_000;
const SECONDS = 10;
const poolSize = Number(process.env.POOL ?? 5);

const wallNow = () => performance.timeOrigin + performance.now();
const lateness = new Float64Array(JOBS);
let fired = 0;
let allFired;
const done = new Promise((resolve) => (allFired = resolve));

const scheduler = new Scheduler({ timeZone: "UTC", workerPoolSize: poolSize });
scheduler.defineAction("noop", {
  async run(ctx) {
    const due = Date.parse(ctx.execution.scheduledFor);
    lateness[fired++] = wallNow() - due;
    if (fired === JOBS) allFired();
  },
});
await scheduler.start();

// First due second far enough ahead to create every job before it (creation is not what we measure).
const first = Math.ceil((Date.now() + Number(process.env.LEAD_MS ?? 15_000)) / 1000) * 1000;
const createStart = performance.now();
for (let i = 0; i < JOBS; i++) {
  const due = new Date(first + (i % SECONDS) * 1000);
  const [date, time] = due.toISOString().slice(0, 19).split("T");
  await scheduler.createJob({
    name: `job-${i}`,
    schedule: { type: "Once", date, time, timeZone: "UTC" },
    steps: [{ action: "noop", targets: [`m${i}`] }],
  });
}
const createMs = performance.now() - createStart;
if (Date.now() >= first - 200) throw new Error("job creation took too long; raise LEAD_MS");

// Idle until just before the first due instant, then measure CPU over the firing window.
await new Promise((r) => setTimeout(r, first - Date.now() - 100));
globalThis.gc?.();
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
await done;
const cpu = process.cpuUsage(cpu0);
const windowMs = performance.now() - wall0;
const startedLate = scheduler
  .listExecutions()
  .items.map((e) => Date.parse(e.startedAt) - Date.parse(e.scheduledFor))
  .sort((a, b) => a - b);
await scheduler.stop();

const sorted = Array.from(lateness).sort((a, b) => a - b);
const pct = (p) => +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2);
console.log(
  JSON.stringify({
    jobs: JOBS,
    dueInstants: SECONDS,
    jobsPerInstant: JOBS / SECONDS,
    workerPoolSize: poolSize,
    latenessMs: { p50: pct(50), p99: pct(99), max: +sorted[sorted.length - 1].toFixed(2), min: +sorted[0].toFixed(2) },
    startedAtLatenessMs: {
      p50: startedLate[Math.floor(startedLate.length / 2)],
      p99: startedLate[Math.floor(startedLate.length * 0.99)],
      max: startedLate[startedLate.length - 1],
    },
    cpuMicrosecondsPerFiredJob: +((cpu.user + cpu.system) / JOBS).toFixed(1),
    firingWindowMs: Math.round(windowMs),
    createJobMicrosecondsEach: +((createMs * 1000) / JOBS).toFixed(1),
    goal: { p99Ms: 10, maxMs: 50 },
  }),
);
