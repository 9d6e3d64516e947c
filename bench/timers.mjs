// Timer lateness on the real clock.
//
// Main case (the issue's): 10 000 enabled jobs with no-op actions, due at whole seconds over
// 10 s, so 1 000 jobs share each instant (a Once schedule's finest unit is a second).
// Lateness = when the action starts - the instant the job was due; for the 1000th job of an
// instant it includes starting the 999 before it. `startedAtLatenessMs` (the execution's
// startedAt - its due instant, ms resolution) is when the scheduler began each run;
// `secondHalf` is the last 5 instants only, once the JIT has warmed up. CPU time per fired
// job covers the whole firing window (GC threads included).
//
// Second case: one job per instant, 5 instants: the wake-up precision alone.
//
// POOL=n sets the worker pool size (default 5, the scheduler's default).
import { Scheduler } from "../lib/src/index.js";

const poolSize = Number(process.env.POOL ?? 5);
const wallNow = () => performance.timeOrigin + performance.now();

function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => +sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2);
  return { p50: at(0.5), p99: at(0.99), max: +sorted[sorted.length - 1].toFixed(2), min: +sorted[0].toFixed(2) };
}

async function scenario(jobs, seconds) {
  const lateness = [];
  let allFired;
  const done = new Promise((resolve) => (allFired = resolve));
  const scheduler = new Scheduler({ timeZone: "UTC", workerPoolSize: poolSize });
  scheduler.defineAction("noop", {
    async run(ctx) {
      const due = Date.parse(ctx.execution.scheduledFor);
      lateness.push({ due, late: wallNow() - due });
      if (lateness.length === jobs) allFired();
    },
  });
  await scheduler.start();

  // The first instant lies far enough ahead to create every job before it (creation is not measured).
  const first = Math.ceil((Date.now() + (jobs > 100 ? Number(process.env.LEAD_MS ?? 15_000) : 2_000)) / 1000) * 1000;
  const createStart = performance.now();
  for (let i = 0; i < jobs; i++) {
    const [date, time] = new Date(first + (i % seconds) * 1000).toISOString().slice(0, 19).split("T");
    await scheduler.createJob({
      name: `job-${i}`,
      schedule: { type: "Once", date, time, timeZone: "UTC" },
      steps: [{ action: "noop", targets: [`m${i}`] }],
    });
  }
  const createMs = performance.now() - createStart;
  if (Date.now() >= first - 200) throw new Error("job creation took too long; raise LEAD_MS");

  await new Promise((r) => setTimeout(r, first - Date.now() - 100));
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  await done;
  const cpu = process.cpuUsage(cpu0);
  const startedLate = scheduler.listExecutions().items.map((e) => Date.parse(e.startedAt) - Date.parse(e.scheduledFor));
  await scheduler.stop();

  const half = first + Math.floor(seconds / 2) * 1000;
  return {
    jobs,
    dueInstants: seconds,
    jobsPerInstant: jobs / seconds,
    latenessMs: percentiles(lateness.map((l) => l.late)),
    secondHalfLatenessMs: percentiles(lateness.filter((l) => l.due >= half).map((l) => l.late)),
    startedAtLatenessMs: percentiles(startedLate),
    cpuMicrosecondsPerFiredJob: +((cpu.user + cpu.system) / jobs).toFixed(1),
    createJobMicrosecondsEach: +((createMs * 1000) / jobs).toFixed(1),
  };
}

const many = await scenario(10_000, 10);
const single = await scenario(5, 5);
console.log(
  JSON.stringify({
    workerPoolSize: poolSize,
    manyJobsPerInstant: many,
    oneJobPerInstant: { latenessMs: single.latenessMs },
    goal: { p99Ms: 10, maxMs: 50 },
  }),
);
