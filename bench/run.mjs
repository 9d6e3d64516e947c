// Runs every bench/*.mjs (except this file) in its own process, one after another,
// and prints one JSON object keyed by benchmark name. Each benchmark prints JSON on stdout.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** Modules the benches share, not benches: they print nothing of their own. */
const HELPERS = new Set(["run.mjs", "simulators.mjs", "stats.mjs"]);
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && !HELPERS.has(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

// `npm run bench` must finish in a few minutes on a 2-core machine: by default the largest
// inputs are trimmed to sizes that still show the same effects (each bench prints the sizes it
// used). BENCH_FULL=1 runs every bench at its own full size; a variable set by hand always wins.
const QUICK = {
  FILES: "20000", // cli-results: ten runs of 2 000 machines
  EVENTS_PAIRS: "3", // events: 3 ABBA pairs of 2 000-machine runs
  FANOUT_ROUNDS: "1", // fanout-http: one cold, one warm and one probed run per side
  SCALE_SIZES: "1000,5000", // scale: CPU per machine flat over 5x the fleet; BENCH_FULL adds 2 000 and 10 000
  CLUSTER_MACHINES: "2000", // cluster: file store vs PostgreSQL and 1 vs 2 gateways on 2 000 machines; BENCH_FULL: 10 000 on 1, 2, 3
  CLUSTER_SIZES: "1,2",
  TIMER_SECONDS: "5", // timers: 5 000 jobs, still 1 000 due per second; BENCH_FULL: 10 000 over 10 s
  API_BENCH_SECONDS: "5", // api: 5 s of requests per route (thousands of samples each); BENCH_FULL: 10
  SLOW_CLIENT_SECONDS: "10", // slow-clients: a 10 s attack, long enough for unread answers to pile up; BENCH_FULL: 20
  STORE_BENCH_JOBS: "50000",
  STORE_BENCH_CREATES: "2000",
};
const env = { ...process.env };
if (process.env.BENCH_FULL !== "1") for (const [k, v] of Object.entries(QUICK)) env[k] ??= v;

const results = {};
const seconds = {};
const started = performance.now();
for (const file of files) {
  const name = file.replace(/\.mjs$/, "");
  // The files one bench wrote are written back by the kernel seconds later: not inside the next one.
  try {
    execFileSync("sync", { stdio: "ignore" });
  } catch {
    // No sync(1): benches keep that noise.
  }
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ["--expose-gc", join(here, file)], {
    encoding: "utf8",
    env,
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 10 * 60 * 1000,
  });
  try {
    results[name] = JSON.parse(run.stdout);
  } catch {
    results[name] = { error: `exit ${run.status}`, output: run.stdout.slice(-2000) };
  }
  seconds[name] = Math.round((performance.now() - t0) / 1000);
}

// The ratios the performance goals are stated in, each against its anchor run in the same process.
const pick = (name, fn) => {
  try {
    return results[name] && !results[name].error ? fn(results[name]) : undefined;
  } catch {
    return undefined;
  }
};
const summary = {
  seconds: Math.round((performance.now() - started) / 1000),
  sizes: process.env.BENCH_FULL === "1" ? "full" : Object.fromEntries(Object.keys(QUICK).map((k) => [k, env[k]])),
  secondsPerBench: seconds,
  // Other work on the machine skews every figure: the 1-minute load average at the end, against the number of cores.
  loadAverage: { oneMinute: +loadavg()[0].toFixed(1), cpus: cpus().length },
  fanOut: pick("fanout-http", (r) => ({ vsBareLoop: r.summary, goal: r.goal })),
  timers: pick("timers", (r) => ({ vsCroner: r.summary, goal: r.goal })),
  history: pick("history", (r) => ({ atCapVsBelow: r.atCapVsBelow, cpuUsPerRun: r.phases.map((p) => p.cpuUsPerRun), goal: r.goal })),
  events: pick("events", (r) => ({ ratio: r.ratio, ratioSpread: r.ratioSpread, cpuRatio: r.cpuRatio, connectsPerRun: r.connectsPerRun, goal: r.goal })),
  gatewayStart: pick("gateway-start", (r) => ({ bridgeAndMetricsLargeVsSmall: r.bridgeAndMetricsLargeVsSmall, rows: r.rows, goal: r.goal })),
  scale: pick("scale", (r) => ({
    rows: r.rows.map((row) => ({ machines: row.machines, wallMs: row.wallMs, cpuUsPerMachine: row.cpuUsPerMachine, peakRssMB: row.peakRssMB, cpuPerMachineVsSmallest: row.cpuPerMachineVsSmallest })),
    goal: r.goal,
  })),
};
console.log(JSON.stringify({ summary, results }, null, 2));
