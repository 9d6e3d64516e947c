// Events cost: the 2 000-machine PatchProfile fan-out of fanout-http.mjs (simulated
// BMCs in their own process, 20 ms added to each PATCH, pool 100), run alternately
// bare and with 3 SSE clients streaming every event plus 2 webhook subscriptions
// taking every event (the listeners live in a child process, so their own work
// does not share the gateway's event loop). Pairs run back to back, in ABBA
// order, each run after the same idle gap and a full GC (see runOnce); reports
// the median of the per-pair ratios with their spread, the CPU ratio, the
// connections each run opened and the load average around it all; the goal is
// at most 1.05.
import { spawn } from "node:child_process";
import diagnostics from "node:diagnostics_channel";
import { once } from "node:events";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Pool, request } from "undici";
import { median } from "./stats.mjs";

const TARGETS = Number(process.env.FANOUT_TARGETS ?? 2000);
const PAIRS = Number(process.env.EVENTS_PAIRS ?? 6);
const LATENCY_MS = 20;
const GAP_MS = Number(process.env.EVENTS_GAP_MS ?? 1000);
const POOL = 100;
const self = fileURLToPath(import.meta.url);
const sim = fileURLToPath(new URL("../lib/test/sim/main.js", import.meta.url));

// ------------------------------------------------------------------ listener process

// One process for the whole bench, started before the first timed run: its own
// start (a Node process, undici) is not in anyone's gap. Commands on stdin:
// "attach" opens the 3 SSE streams, "detach" closes them and reports what the
// streams and the 2 webhook receivers got since the last attach.
async function listeners(url) {
  let counts = { sse: [0, 0, 0], hooks: [0, 0] };
  const hooks = await Promise.all(
    counts.hooks.map(async (_, i) => {
      const server = createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          counts.hooks[i]++;
          res.writeHead(204).end();
        });
      });
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${server.address().port}/hook`;
    }),
  );
  let streams = [];
  const open = () =>
    Promise.all(
      counts.sse.map(async (_, i) => {
        const ac = new AbortController();
        const res = await request(`${url}/redfish/v1/EventService/SSE`, { headers: { accept: "text/event-stream" }, signal: ac.signal });
        let tail = "";
        res.body.on("data", (chunk) => {
          const lines = (tail + String(chunk)).split("\n");
          tail = lines.pop();
          for (const line of lines) if (line.startsWith("id: ")) counts.sse[i]++;
        });
        res.body.on("error", () => {});
        return ac;
      }),
    );
  process.stdout.write(JSON.stringify({ hooks }) + "\n");
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "attach") {
      counts = { sse: [0, 0, 0], hooks: [0, 0] };
      streams = await open();
      process.stdout.write(JSON.stringify({ streams: streams.length }) + "\n");
    } else if (line === "detach") {
      for (const ac of streams) ac.abort();
      streams = [];
      process.stdout.write(JSON.stringify(counts) + "\n");
    }
  }
  process.exit(0);
}

// ------------------------------------------------------------------ bench

async function firstLine(stream) {
  const rl = createInterface({ input: stream });
  const [line] = await once(rl, "line");
  rl.close();
  return JSON.parse(line);
}

async function main() {
  const { Scheduler, MemoryStore } = await import("../lib/src/index.js");
  const { createGateway } = await import("../lib/gateway/app.js");
  const { createLogger } = await import("../lib/gateway/log.js");
  const { RedfishClient } = await import("../lib/gateway/bmc/client.js");
  const { registerBmcActions } = await import("../lib/gateway/bmc/register.js");
  const { MachineRegistry } = await import("../lib/gateway/platform/registry.js");
  const { ResultWriter } = await import("../lib/gateway/results/result-writer.js");

  const simChild = spawn(process.execPath, [sim, "--count", String(TARGETS), "--latency-ms", String(LATENCY_MS), "--latency-methods", "PATCH"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const { bmcs } = await firstLine(simChild.stdout);
  const logsDir = mkdtempSync(join(tmpdir(), "shoal-bench-events-"));
  const store = new MemoryStore();
  const scheduler = new Scheduler({ store, workerPoolSize: POOL, timeZone: "UTC" });
  const registry = new MachineRegistry(store);
  const client = new RedfishClient();
  registerBmcActions(scheduler, { registry, client, results: new ResultWriter({ dir: logsDir }) });
  await scheduler.start();
  for (const b of bmcs) {
    await registry.create({ id: b.id, name: b.id, type: b.type, endpoint: b.endpoint, username: b.username, password: b.password, insecure: false, httpClientTimeoutSeconds: 10, disableEtagMatch: false });
  }
  const log = createLogger({ level: "warn", sink: (line) => process.stderr.write(line + "\n") });
  const gateway = createGateway({ scheduler, store, registry, client, log });
  const { url } = await gateway.listen(0, "127.0.0.1");
  const api = new Pool(url, { connections: 4 });
  const send = async (method, path, body) => {
    const res = await api.request({ method, path, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? JSON.parse(text) : {} };
  };

  // Connections undici opened during each run (BMCs, and the webhook receivers on the attached side): a side that
  // reconnects to the machines more than the other is paying for the bench's timing.
  let connects = 0;
  diagnostics.subscribe("undici:client:connected", () => void connects++);

  // Every timed run starts GAP_MS after the previous one ended, whatever happened in
  // between (attaching, detaching, creating the job), after a full GC. Without this
  // the attached side waited longer before its runs (it used to start a Node process
  // there), long enough under load for the 4 s keep-alive of the BMC connections to
  // expire: its runs then reconnected to every machine and paid for it, a cost of
  // the bench's timing, not of the listeners. The gaps actually taken are reported.
  // 1 s plus a quiet run (1.2 s) stays under that keep-alive, as between runs of a busy gateway.
  let runs = 0;
  let lastEnd = performance.now();
  const runOnce = async () => {
    const profile = runs++ % 2 === 0 ? "Balanced" : "PowerSaver";
    const created = await send("POST", "/MultiFish/v1/JobService/Jobs", {
      Name: `profile ${profile}`,
      Machines: bmcs.map((b) => b.id),
      Action: "PatchProfile",
      Payload: [{ ManagerID: "bmc", Payload: { Profile: profile } }],
      Schedule: { Type: "Manual" },
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.json)}`);
    globalThis.gc?.();
    const wait = lastEnd + GAP_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    const gapMs = t0 - lastEnd;
    const cpu0 = process.cpuUsage();
    const connects0 = connects;
    const triggered = await send("POST", `/MultiFish/v1/JobService/Jobs/${created.json.Id}/Actions/Trigger`, {});
    const execution = await scheduler.waitForExecution(triggered.json.Id);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    lastEnd = performance.now();
    if (execution.state !== "Completed") throw new Error(`run ended ${execution.state}`);
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, gapMs, connects: connects - connects0 };
  };

  const listener = spawn(process.execPath, [self, "--listeners", url], { stdio: ["pipe", "pipe", "inherit"] });
  const listenerLines = createInterface({ input: listener.stdout });
  const fromListener = () => once(listenerLines, "line").then(([l]) => JSON.parse(l));
  const { hooks } = await fromListener();

  const runAttached = async () => {
    listener.stdin.write("attach\n");
    await fromListener();
    const ids = [];
    for (const hook of hooks) {
      const reply = await send("POST", "/redfish/v1/EventService/Subscriptions", { Destination: hook, Oem: { Shoal: { SigningSecret: "bench-signing-secret-0123" } } });
      if (reply.status !== 201) throw new Error(`subscribe: ${reply.status}`);
      ids.push(reply.json.Id);
    }
    const result = await runOnce();
    // Let the last deliveries of the run land before counting them (in the next run's gap, not timed).
    await new Promise((r) => setTimeout(r, 300));
    listener.stdin.write("detach\n");
    const received = await fromListener();
    for (const id of ids) await send("DELETE", `/redfish/v1/EventService/Subscriptions/${id}`);
    return { ...result, received };
  };

  // Untimed: the first run opens 2 000 connection pools; an attached one warms the event paths (SSE, outbox, delivery).
  await runOnce();
  await runAttached();
  await runOnce();
  const bare = [];
  const attached = [];
  const pairRatios = [];
  const pairCpuRatios = [];
  const loadBefore = loadavg()[0];
  for (let i = 0; i < PAIRS; i++) {
    // ABBA: which side goes first alternates, so a drift in the machine's load favours neither.
    let b;
    let a;
    if (i % 2 === 0) {
      b = await runOnce();
      a = await runAttached();
    } else {
      a = await runAttached();
      b = await runOnce();
    }
    bare.push(b);
    attached.push(a);
    pairRatios.push(a.wallMs / b.wallMs);
    pairCpuRatios.push(a.cpuMs / b.cpuMs);
  }
  const loadAfter = loadavg()[0];
  const bareMs = median(bare.map((r) => r.wallMs));
  const attachedMs = median(attached.map((r) => r.wallMs));
  const bareCpuMs = median(bare.map((r) => r.cpuMs));
  const attachedCpuMs = median(attached.map((r) => r.cpuMs));
  const r3 = (x) => +x.toFixed(3);
  console.log(
    JSON.stringify({
      targets: TARGETS,
      pool: POOL,
      addedLatencyMsPerPatch: LATENCY_MS,
      pairs: PAIRS,
      bareMs: bare.map((r) => Math.round(r.wallMs)),
      attachedMs: attached.map((r) => Math.round(r.wallMs)),
      medianBareMs: Math.round(bareMs),
      medianAttachedMs: Math.round(attachedMs),
      // The goal's measure: the median of the per-pair ratios (each pair ran back to back, under the same load).
      ratio: r3(median(pairRatios)),
      ratioSpread: [r3(Math.min(...pairRatios)), r3(Math.max(...pairRatios))],
      ratioOfMedians: r3(attachedMs / bareMs),
      // The gateway process's CPU time per run: less at the mercy of other load on the machine than wall time.
      medianBareCpuMs: Math.round(bareCpuMs),
      medianAttachedCpuMs: Math.round(attachedCpuMs),
      cpuRatio: r3(median(pairCpuRatios)),
      cpuRatioSpread: [r3(Math.min(...pairCpuRatios)), r3(Math.max(...pairCpuRatios))],
      loadAverage: { before: +loadBefore.toFixed(1), after: +loadAfter.toFixed(1), cpus: cpus().length },
      eventsLastAttachedRun: attached[attached.length - 1].received,
      // Idle time before each timed run (the same target on both sides; more only when attaching or detaching took longer).
      gapMs: { target: GAP_MS, bareMax: Math.round(Math.max(...bare.map((r) => r.gapMs))), attachedMax: Math.round(Math.max(...attached.map((r) => r.gapMs))) },
      connectsPerRun: { bare: bare.map((r) => r.connects), attached: attached.map((r) => r.connects) },
      goal: { ratio: 1.05 },
      rssMB: Math.round(process.memoryUsage().rss / 1048576),
    }),
  );
  listener.stdin.end();
  await once(listener, "exit");
  await api.close();
  await gateway.close();
  await scheduler.stop({ graceMs: 0 });
  await client.close();
  simChild.kill("SIGTERM");
  await once(simChild, "exit");
  rmSync(logsDir, { recursive: true, force: true });
}

if (process.argv[2] === "--listeners") await listeners(process.argv[3]);
else await main();
