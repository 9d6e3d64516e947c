// Scale: one PatchProfile run over 1 000 / 2 000 / 5 000 / 10 000 simulated
// BMCs (2 500 per simulator process, 20 ms added to each PATCH), worker pool
// 100, through the scheduler, Redfish client and result writer as the gateway
// wires them. Each fleet size runs in a fresh process of its own so its RSS is
// its own: wall time, CPU per machine, peak RSS and RSS after the run.
//   SCALE_SIZES=1000,2000,5000,10000 node bench/scale.mjs
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSimulators } from "./simulators.mjs";

const PER_SIMULATOR = 2500;
const LATENCY_MS = 20;
const POOL = 100;
const here = fileURLToPath(import.meta.url);

/** Runs in the child: one fleet size. */
async function one(total) {
  const { Scheduler, MemoryStore } = await import("../lib/src/index.js");
  const { RedfishClient } = await import("../lib/gateway/bmc/client.js");
  const { registerBmcActions } = await import("../lib/gateway/bmc/register.js");
  const { MachineRegistry } = await import("../lib/gateway/platform/registry.js");
  const { ResultWriter } = await import("../lib/gateway/results/result-writer.js");

  const { children, bmcs } = await startSimulators(total, { perProcess: PER_SIMULATOR, latencyMs: LATENCY_MS });
  // Timed out by the parent: take the simulators down too, or they outlive the bench.
  process.once("SIGTERM", () => {
    for (const c of children) c.kill("SIGTERM");
    process.exit(1);
  });
  const logsDir = mkdtempSync(join(tmpdir(), "shoal-bench-scale-"));
  const store = new MemoryStore();
  const scheduler = new Scheduler({ store, workerPoolSize: POOL, timeZone: "UTC" });
  const registry = new MachineRegistry(store);
  const client = new RedfishClient();
  registerBmcActions(scheduler, { registry, client, results: new ResultWriter({ dir: logsDir }) });
  await scheduler.start();
  for (const b of bmcs) {
    await registry.create({ id: b.id, name: b.id, type: b.type, endpoint: b.endpoint, username: b.username, password: b.password, insecure: false, httpClientTimeoutSeconds: 30, disableEtagMatch: false });
  }
  const job = await scheduler.createJob({
    name: "scale",
    steps: [{ action: "PatchProfile", targets: bmcs.map((b) => b.id), payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }] }],
    schedule: { type: "Manual" },
  });
  globalThis.gc?.();
  const rssBeforeMB = process.memoryUsage().rss / 1048576;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const started = await scheduler.trigger(job.id);
  const execution = await scheduler.waitForExecution(started.id);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const rssAfterMB = process.memoryUsage().rss / 1048576;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  const files = readdirSync(logsDir).length;
  console.log(
    JSON.stringify({
      machines: total,
      simulators: children.length,
      wallMs: Math.round(wallMs),
      wallMsPerMachine: +(wallMs / total).toFixed(3),
      cpuUsPerMachine: Math.round((cpu.user + cpu.system) / total),
      rssBeforeRunMB: Math.round(rssBeforeMB),
      rssAfterRunMB: Math.round(rssAfterMB),
      peakRssMB: Math.round(peakRssMB),
      state: execution.state,
      succeeded: execution.steps[0].targets.filter((t) => t.ok).length,
      resultFiles: files,
    }),
  );
  await scheduler.stop({ graceMs: 0 });
  await client.close();
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => once(c, "exit")));
  rmSync(logsDir, { recursive: true, force: true });
}

if (process.argv[2] === "--one") {
  await one(Number(process.argv[3]));
} else {
  const sizes = (process.env.SCALE_SIZES ?? "1000,2000,5000,10000").split(",").map(Number);
  const rows = [];
  for (const size of sizes) {
    const run = spawnSync(process.execPath, ["--expose-gc", here, "--one", String(size)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 20 * 60 * 1000 });
    try {
      rows.push(JSON.parse(run.stdout));
    } catch {
      rows.push({ machines: size, error: `exit ${run.status}`, output: run.stdout.slice(-500) });
    }
  }
  const base = rows.find((r) => r.cpuUsPerMachine !== undefined);
  for (const r of rows) if (base && r.cpuUsPerMachine !== undefined) r.cpuPerMachineVsSmallest = +(r.cpuUsPerMachine / base.cpuUsPerMachine).toFixed(2);
  // The table for people (stderr), the JSON for the summary (stdout).
  process.stderr.write("machines  wall s  ms/machine  CPU us/machine  peak RSS MB\n");
  for (const r of rows) {
    process.stderr.write(`${String(r.machines).padStart(8)}  ${((r.wallMs ?? NaN) / 1000).toFixed(1).padStart(6)}  ${String(r.wallMsPerMachine ?? "-").padStart(10)}  ${String(r.cpuUsPerMachine ?? "-").padStart(14)}  ${String(r.peakRssMB ?? "-").padStart(11)}\n`);
  }
  const at10k = rows.find((r) => r.machines === 10000);
  console.log(JSON.stringify({ rows, goal: { peakRssMBAt10000: 500 }, peakRssMBAt10000: at10k?.peakRssMB ?? null }));
}
