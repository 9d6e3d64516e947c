// Fan-out over HTTP: one PatchProfile job to 2 000 simulated BMCs (in their own
// process, 20 ms added to each PATCH), pool 100, triggered through the REST API.
// Reports wall time against the ideal (targets x 20 ms / pool), PATCHes per
// second, RSS, the gateway's event-loop delay and its API latency meanwhile.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { Scheduler, MemoryStore } from "../lib/src/index.js";
import { createGateway } from "../lib/gateway/app.js";
import { createLogger } from "../lib/gateway/log.js";
import { RedfishClient } from "../lib/gateway/bmc/client.js";
import { registerBmcActions } from "../lib/gateway/bmc/register.js";
import { MachineRegistry } from "../lib/gateway/platform/registry.js";
import { ResultWriter } from "../lib/gateway/results/result-writer.js";

const TARGETS = Number(process.env.FANOUT_TARGETS ?? 2000);
const LATENCY_MS = 20;
const POOL = 100;
const sim = fileURLToPath(new URL("../lib/test/sim/main.js", import.meta.url));

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startSimulators() {
  const child = spawn(process.execPath, [sim, "--count", String(TARGETS), "--latency-ms", String(LATENCY_MS), "--latency-methods", "PATCH"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  for await (const chunk of child.stdout) {
    out += chunk;
    if (out.includes("\n")) break;
  }
  return { child, bmcs: JSON.parse(out).bmcs };
}

async function main() {
  const { child, bmcs } = await startSimulators();
  const logsDir = mkdtempSync(join(tmpdir(), "shoal-bench-fanout-"));
  const store = new MemoryStore();
  const scheduler = new Scheduler({ store, workerPoolSize: POOL, timeZone: "UTC" });
  const registry = new MachineRegistry(store);
  const client = new RedfishClient();
  registerBmcActions(scheduler, { registry, client, results: new ResultWriter({ dir: logsDir }) });
  await scheduler.start();
  for (const b of bmcs) {
    await registry.create({ id: b.id, name: b.id, type: b.type, endpoint: b.endpoint, username: b.username, password: b.password, insecure: false, httpClientTimeoutSeconds: 10, disableEtagMatch: false });
  }
  // Request lines would flood stdout (the bench prints JSON); keep warnings and errors on stderr.
  const log = createLogger({ level: "warn", sink: (line) => process.stderr.write(line + "\n") });
  const gateway = createGateway({ scheduler, store, registry, client, log });
  const { url } = await gateway.listen(0, "127.0.0.1");
  const api = new Pool(url, { connections: 4 });
  const send = async (method, path, body) => {
    const res = await api.request({ method, path, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    return { status: res.statusCode, json: await res.body.json(), headers: res.headers };
  };

  const runOnce = async (profile) => {
    const created = await send("POST", "/MultiFish/v1/JobService/Jobs", {
      Name: `profile ${profile}`,
      Machines: bmcs.map((b) => b.id),
      Action: "PatchProfile",
      Payload: [{ ManagerID: "bmc", Payload: { Profile: profile } }],
      Schedule: { Type: "Manual" },
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.json)}`);
    const jobPath = `/MultiFish/v1/JobService/Jobs/${created.json.Id}`;

    const loop = monitorEventLoopDelay({ resolution: 1 });
    const apiLatencies = [];
    let running = true;
    const prober = (async () => {
      while (running) {
        const t0 = performance.now();
        await send("GET", jobPath);
        apiLatencies.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    loop.enable();
    const t0 = performance.now();
    const triggered = await send("POST", `${jobPath}/Actions/Trigger`, {});
    const execution = await scheduler.waitForExecution(triggered.json.Id);
    const wallMs = performance.now() - t0;
    loop.disable();
    running = false;
    await prober;
    apiLatencies.sort((a, b) => a - b);
    return {
      wallMs: Math.round(wallMs),
      state: execution.state,
      health: execution.health,
      succeeded: execution.steps[0].targets.filter((r) => r.ok).length,
      eventLoopDelayP99Ms: +(loop.percentile(99) / 1e6).toFixed(1),
      apiGetP50Ms: +percentile(apiLatencies, 50).toFixed(1),
      apiGetP99Ms: +percentile(apiLatencies, 99).toFixed(1),
      apiSamples: apiLatencies.length,
    };
  };

  const warm = await runOnce("Balanced"); // first run opens 2 000 connection pools
  const run = await runOnce("PowerSaver");
  const ideal = (TARGETS * LATENCY_MS) / POOL;
  globalThis.gc?.();
  console.log(
    JSON.stringify({
      targets: TARGETS,
      pool: POOL,
      addedLatencyMsPerPatch: LATENCY_MS,
      note: "each PatchProfile is a GET (no added latency) then a PATCH (20 ms): the profile check and the ETag need the read",
      idealMs: ideal,
      cold: { ...warm, ratioToIdeal: +(warm.wallMs / ideal).toFixed(2) },
      warm: { ...run, ratioToIdeal: +(run.wallMs / ideal).toFixed(2), patchesPerSecond: Math.round((TARGETS / run.wallMs) * 1000) },
      goal: { ratioToIdeal: 1.3, apiP99Ms: 50 },
      rssMB: Math.round(process.memoryUsage().rss / 1048576),
    }),
  );
  await api.close();
  await gateway.close();
  await scheduler.stop({ graceMs: 0 });
  await client.close();
  child.kill("SIGTERM");
  await once(child, "exit");
  rmSync(logsDir, { recursive: true, force: true });
}

await main();
