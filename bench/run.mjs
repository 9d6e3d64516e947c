// Runs every bench/*.mjs (except this file) in its own process, one after another,
// and prints one JSON object keyed by benchmark name. Each benchmark prints JSON on stdout.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && f !== "run.mjs")
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results = {};
const started = performance.now();
for (const file of files) {
  const name = file.replace(/\.mjs$/, "");
  const run = spawnSync(process.execPath, ["--expose-gc", join(here, file)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 10 * 60 * 1000,
  });
  try {
    results[name] = JSON.parse(run.stdout);
  } catch {
    results[name] = { error: `exit ${run.status}`, output: run.stdout.slice(-2000) };
  }
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
  fanOut: pick("fanout-http", (r) => ({ vsBareLoop: r.summary, goal: r.goal })),
  timers: pick("timers", (r) => ({ vsCroner: r.summary, goal: r.goal })),
  gatewayStart: pick("gateway-start", (r) => ({ bridgeAndMetricsLargeVsSmall: r.bridgeAndMetricsLargeVsSmall, rows: r.rows, goal: r.goal })),
  scale: pick("scale", (r) => ({
    rows: r.rows.map((row) => ({ machines: row.machines, wallMs: row.wallMs, cpuUsPerMachine: row.cpuUsPerMachine, peakRssMB: row.peakRssMB, cpuPerMachineVsSmallest: row.cpuPerMachineVsSmallest })),
    goal: r.goal,
  })),
};
console.log(JSON.stringify({ summary, results }, null, 2));
