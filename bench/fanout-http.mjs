// Fan-out over HTTP, Shoal against a bare loop, A/B in the same process run.
//
// The simulator runs in its own process: 2 000 BMCs, 20 ms added to each PATCH.
// Each machine gets a GET of its manager (ETag, AllowableValues) then a PATCH
// with If-Match, then one result file.
//
// - bare: undici Pool per machine (keep-alive), p-limit 100, GET + PATCH,
//   one small JSON file per machine with fs.promises.writeFile; a bare Koa app
//   (one route answering a small JSON job) is probed meanwhile. The anchor.
// - bare3: the same plus a GET of the manager after the PATCH: the BMC work
//   Shoal's action does (its result's After is read again after the PATCH, a
//   documented promise), so wallRatioSameWork compares equal work.
// - shoal: the gateway (scheduler, worker pool 100, Redfish client on its BMC
//   I/O thread as the gateway's main uses it, result writer) runs a
//   PatchProfile job over the same machines, triggered through its REST API;
//   GET job is probed meanwhile. FANOUT_IO_THREAD=0 keeps BMC I/O on the main thread.
//
// After one untimed run per side (JIT, first growth of the result directories),
// each round runs every side cold (fresh connection pools) then at once warm
// (the same pools again, before their sockets idle out), the sides' order
// rotating from round to round; each timed run starts after an untimed sync(1), so no
// run pays for the write-back of an earlier run's files. Each run prints idleMs (how long its pools had
// been idle) and each round the 1-minute load average: other work on the
// machine moves every figure. Ratios are shoal / bare for wall time, CPU per
// machine and the API's p50/p99; threadsCpuMs splits each run's CPU by thread
// (Linux: main, BMC I/O thread, result writer, the rest, the simulator).
// FANOUT_PROBE=0 leaves the API unprobed, to see the fan-out alone.
//   FANOUT_TARGETS=2000 FANOUT_ROUNDS=2 FANOUT_SIDES=bare,bare3,shoal node --expose-gc bench/fanout-http.mjs
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Koa from "koa";
import pLimit from "p-limit";
import { Pool } from "undici";
import { Scheduler, MemoryStore } from "../lib/src/index.js";
import { createGateway } from "../lib/gateway/app.js";
import { createLogger } from "../lib/gateway/log.js";
import { RedfishClient } from "../lib/gateway/bmc/client.js";
import { registerBmcActions } from "../lib/gateway/bmc/register.js";
import { MachineRegistry } from "../lib/gateway/platform/registry.js";
import { ResultWriter } from "../lib/gateway/results/result-writer.js";

const TARGETS = Number(process.env.FANOUT_TARGETS ?? 2000);
const ROUNDS = Number(process.env.FANOUT_ROUNDS ?? 2);
const SIDES = (process.env.FANOUT_SIDES ?? "bare,bare3,shoal").split(",");
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

/** GETs `path` every 5 ms on its own connection until stopped; returns the sorted latencies. */
function probe(pool, path) {
  const latencies = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const res = await pool.request({ method: "GET", path });
      await res.body.dump();
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return latencies.sort((a, b) => a - b);
  };
}

/** FANOUT_PROBE=0: no API probe, to see the fan-out alone (each GET of the job costs the gateway its JSON and ETag). */
const PROBE = process.env.FANOUT_PROBE !== "0";

/** CPU ms of each thread of process `pid` so far (Linux /proc; an empty map elsewhere), by thread id. */
function threadCpuMs(pid) {
  const out = new Map();
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      // Fields 14 and 15 (utime, stime) in clock ticks of 10 ms, counted after the ")" that ends the name.
      const f = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8").split(") ")[1].split(" ");
      out.set(t, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** OS thread ids by role ("bmcIo", "resultWriter"), found by the threads that appeared when each was started. */
const THREAD_ROLES = new Map();

/** Runs `start` and names the threads it started `role`, once they have appeared. */
async function labelThreads(role, start) {
  const before = new Set(threadCpuMs(process.pid).keys());
  const made = start();
  const deadline = performance.now() + 2000;
  for (;;) {
    const fresh = [...threadCpuMs(process.pid).keys()].filter((t) => !before.has(t) && !THREAD_ROLES.has(t));
    if (fresh.length > 0 || performance.now() > deadline) {
      for (const t of fresh) THREAD_ROLES.set(t, role);
      return made;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Where a run's CPU went, in ms: this process's main thread, the BMC I/O thread and the result
 * writer (shoal), every other thread of the process (V8's GC helpers, the libuv pool that writes
 * the bare side's files), and the simulator process.
 */
function cpuByThread(before, after, simBefore, simAfter) {
  const out = { main: 0, bmcIo: 0, resultWriter: 0, other: 0, simulator: 0 };
  for (const [t, ms] of after) {
    const role = t === String(process.pid) ? "main" : (THREAD_ROLES.get(t) ?? "other");
    out[role] += ms - (before.get(t) ?? 0);
  }
  out.simulator = [...simAfter].reduce((sum, [t, ms]) => sum + ms - (simBefore.get(t) ?? 0), 0);
  return out;
}

async function measured(pool, path, work, simPid) {
  const threads0 = threadCpuMs(process.pid);
  const sim0 = threadCpuMs(simPid);
  const stop = PROBE ? probe(pool, path) : async () => [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = await work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const latencies = await stop();
  const threadsCpuMs = cpuByThread(threads0, threadCpuMs(process.pid), sim0, threadCpuMs(simPid));
  return {
    ...outcome,
    wallMs: Math.round(wallMs),
    cpuUsPerMachine: Math.round((cpu.user + cpu.system) / TARGETS),
    apiP50Ms: +percentile(latencies, 50).toFixed(2),
    apiP99Ms: +percentile(latencies, 99).toFixed(2),
    apiSamples: latencies.length,
    threadsCpuMs,
  };
}

// ------------------------------------------------------------------ bare loop

function barePools(bmcs) {
  return new Map(bmcs.map((b) => [b.id, new Pool(new URL(b.endpoint).origin, { connections: 4, keepAliveTimeout: 4000 })]));
}

async function bareFanOut(bmcs, pools, profile, dir, tag, reread = false) {
  const limit = pLimit(POOL);
  let ok = 0;
  await Promise.all(
    bmcs.map((b) =>
      limit(async () => {
        const pool = pools.get(b.id);
        const headers = { authorization: "Basic " + Buffer.from(`${b.username}:${b.password}`).toString("base64"), accept: "application/json" };
        const got = await pool.request({ method: "GET", path: "/redfish/v1/Managers/bmc", headers });
        const manager = await got.body.json();
        const allowed = manager.Oem.OpenBmc.Fan["Profile@Redfish.AllowableValues"];
        if (!allowed.includes(profile)) throw new Error("profile not allowed");
        const patched = await pool.request({
          method: "PATCH",
          path: "/redfish/v1/Managers/bmc",
          headers: { ...headers, "content-type": "application/json", "if-match": got.headers.etag },
          body: JSON.stringify({ Oem: { OpenBmc: { Fan: { Profile: profile } } } }),
        });
        await patched.body.dump();
        if (reread) await (await pool.request({ method: "GET", path: "/redfish/v1/Managers/bmc", headers })).body.json();
        const status = patched.statusCode < 300 ? "Success" : "Error";
        if (status === "Success") ok++;
        await writeFile(join(dir, `${b.id}_${tag}_${status}.json`), JSON.stringify({ machine: b.id, profile, status: patched.statusCode }));
      }),
    ),
  );
  return { succeeded: ok };
}

async function bareKoa() {
  const app = new Koa();
  const job = { "@odata.id": "/MultiFish/v1/JobService/Jobs/Job-1", Id: "Job-1", Name: "bare", JobState: "Running", Schedule: { Type: "Manual" } };
  app.use((ctx) => {
    ctx.body = job;
  });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

// ------------------------------------------------------------------ shoal

async function shoalGateway(bmcs, logsDir) {
  const store = new MemoryStore();
  const scheduler = new Scheduler({ store, workerPoolSize: POOL, timeZone: "UTC" });
  const registry = new MachineRegistry(store);
  const ioThread = process.env.FANOUT_IO_THREAD !== "0";
  // The gateway's threads start with its client and its result writer: named here for threadsCpuMs.
  const holder = { client: await labelThreads("bmcIo", () => new RedfishClient({ ioThread })) };
  // A client behind a getter so a cold round can swap in fresh pools.
  const clientProxy = new Proxy({}, { get: (_t, p) => (typeof holder.client[p] === "function" ? holder.client[p].bind(holder.client) : holder.client[p]) });
  const results = await labelThreads("resultWriter", () => new ResultWriter({ dir: logsDir }));
  registerBmcActions(scheduler, { registry, client: clientProxy, results });
  await scheduler.start();
  for (const b of bmcs) {
    await registry.create({ id: b.id, name: b.id, type: b.type, endpoint: b.endpoint, username: b.username, password: b.password, insecure: false, httpClientTimeoutSeconds: 10, disableEtagMatch: false });
  }
  const log = createLogger({ level: "warn", sink: (line) => process.stderr.write(line + "\n") });
  const gateway = createGateway({ scheduler, store, registry, client: holder.client, log });
  const { url } = await gateway.listen(0, "127.0.0.1");
  const api = new Pool(url, { connections: 2 });
  const send = async (method, path, body) => {
    const res = await api.request({ method, path, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    return { status: res.statusCode, json: await res.body.json() };
  };
  const jobPaths = {};
  for (const profile of ["PowerSaver", "Balanced"]) {
    const created = await send("POST", "/MultiFish/v1/JobService/Jobs", {
      Name: `bench fan-out ${profile}`,
      Machines: bmcs.map((b) => b.id),
      Action: "PatchProfile",
      Payload: [{ ManagerID: "bmc", Payload: { Profile: profile } }],
      Schedule: { Type: "Manual" },
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.json)}`);
    jobPaths[profile] = `/MultiFish/v1/JobService/Jobs/${created.json.Id}`;
  }
  const jobPath = jobPaths.PowerSaver;
  return {
    url,
    jobPath,
    async freshClient() {
      const old = holder.client;
      holder.client = new RedfishClient({ ioThread });
      await old.close();
    },
    async fanOut(profile) {
      const triggered = await send("POST", `${jobPaths[profile]}/Actions/Trigger`, {});
      if (triggered.status !== 202 && triggered.status !== 200) throw new Error(`trigger: ${triggered.status} ${JSON.stringify(triggered.json)}`);
      const execution = await scheduler.waitForExecution(triggered.json.Id);
      return { state: execution.state, health: execution.health, succeeded: execution.steps[0].targets.filter((t) => t.ok).length };
    },
    async close() {
      await api.close();
      await gateway.close();
      await scheduler.stop({ graceMs: 0 });
      await holder.client.close();
    },
  };
}

// ------------------------------------------------------------------ run

/**
 * Writes back what earlier runs left in the page cache, untimed: a run writes 2 000 files, and
 * the kernel flushes them (and ext4 commits its journal) seconds later, inside whichever run
 * comes next. Without it the side that runs after another paid for the other's files.
 */
function settleDisk() {
  try {
    execFileSync("sync", { stdio: "ignore" });
  } catch {
    // No sync(1) here: the runs simply keep that noise.
  }
}

const ratio = (a, b) => +(a / b).toFixed(2);

async function main() {
  const { child, bmcs } = await startSimulators();
  const root = mkdtempSync(join(tmpdir(), "shoal-bench-fanout-"));
  const bareDir = join(root, "bare");
  await mkdir(bareDir);
  const koa = await bareKoa();
  const koaPool = new Pool(koa.url, { connections: 1 });
  const shoal = await shoalGateway(bmcs, join(root, "shoal"));
  const shoalPool = new Pool(shoal.url, { connections: 1 });
  const profiles = ["PowerSaver", "Balanced"];
  let step = 0;

  // One untimed run per side first: the first fan-out of a process also pays the JIT (on each
  // thread that does HTTP) and a result directory's first growth, which is not what "cold"
  // (fresh connection pools) measures. FANOUT_WARMUP=0 keeps it in round 1.
  let pools = barePools(bmcs);
  if (process.env.FANOUT_WARMUP !== "0") {
    for (const side of ["bare", "bare3", "shoal"].filter((s) => SIDES.includes(s))) {
      const profile = profiles[step++ % 2];
      if (side === "shoal") await shoal.fanOut(profile);
      else await bareFanOut(bmcs, pools, profile, bareDir, step, side === "bare3");
    }
  }
  const rounds = [];
  // Each side's warm run comes right after its own cold run. undici closes a socket idle for
  // 3 s (the simulator's keep-alive hint of 5 s less undici's 2 s margin): a side whose warm
  // run waited behind the other sides' runs found its sockets closed and ran cold again.
  // idleMs says how long its pools had been idle.
  for (let r = 0; r < ROUNDS; r++) {
    const result = { cold: {}, warm: {} };
    // Rotate which side goes first, so none always runs on a quieter machine.
    const sides = ["bare", "bare3", "shoal"].filter((s) => SIDES.includes(s));
    const shift = r % sides.length;
    for (const side of [...sides.slice(shift), ...sides.slice(0, shift)]) {
      let lastUsed;
      for (const temp of ["cold", "warm"]) {
        const profile = profiles[step++ % 2];
        if (temp === "cold") {
          if (side === "shoal") await shoal.freshClient();
          else {
            await Promise.all([...pools.values()].map((p) => p.close()));
            pools = barePools(bmcs);
          }
        }
        settleDisk();
        globalThis.gc?.();
        const idleMs = lastUsed === undefined ? null : Math.round(performance.now() - lastUsed);
        result[temp][side] =
          side === "shoal"
            ? await measured(shoalPool, shoal.jobPath, () => shoal.fanOut(profile), child.pid)
            : await measured(koaPool, "/job", () => bareFanOut(bmcs, pools, profile, bareDir, step, side === "bare3"), child.pid);
        result[temp][side].idleMs = idleMs;
        lastUsed = performance.now();
      }
    }
    // Other work on the machine skews every figure: the 1-minute load average as the round ends.
    const load = +loadavg()[0].toFixed(1);
    for (const temp of ["cold", "warm"]) {
      const { bare, bare3, shoal: s } = result[temp];
      if (!bare || !s) {
        rounds.push({ round: r + 1, temp, load, ...result[temp] });
        continue;
      }
      rounds.push({
        round: r + 1,
        temp,
        load,
        bare,
        ...(bare3 && { bare3 }),
        shoal: s,
        wallRatio: ratio(s.wallMs, bare.wallMs),
        ...(bare3 && { wallRatioSameWork: ratio(s.wallMs, bare3.wallMs), cpuRatioSameWork: ratio(s.cpuUsPerMachine, bare3.cpuUsPerMachine) }),
        cpuRatio: ratio(s.cpuUsPerMachine, bare.cpuUsPerMachine),
        apiP99Ratio: ratio(s.apiP99Ms, bare.apiP99Ms),
      });
    }
  }
  const range = (temp, key) => {
    const vs = rounds.filter((r) => (temp === undefined || r.temp === temp) && r[key] !== undefined).map((r) => r[key]);
    return vs.length === 0 ? null : [Math.min(...vs), Math.max(...vs)];
  };
  const shoalRange = (key) => range(undefined, key === "apiP50Ms" ? "shoalApiP50Ms" : key);
  for (const r of rounds) if (r.shoal) r.shoalApiP50Ms = r.shoal.apiP50Ms;
  const filesWritten = SIDES.includes("shoal") ? readdirSync(join(root, "shoal")).length : 0;
  console.log(
    JSON.stringify({
      targets: TARGETS,
      pool: POOL,
      addedLatencyMsPerPatch: LATENCY_MS,
      rounds,
      summary: {
        wallRatioCold: range("cold", "wallRatio"),
        wallRatioWarm: range("warm", "wallRatio"),
        wallRatioSameWorkCold: range("cold", "wallRatioSameWork"),
        wallRatioSameWorkWarm: range("warm", "wallRatioSameWork"),
        cpuRatio: range(undefined, "cpuRatio"),
        cpuRatioSameWork: range(undefined, "cpuRatioSameWork"),
        apiP50MsShoal: shoalRange("apiP50Ms"),
        apiP99Ratio: range(undefined, "apiP99Ratio"),
      },
      goal: { wallRatio: 1.1, apiP50Ms: 3, apiP99Ratio: 1.2 },
      loadAverage: { oneMinute: rounds.map((r) => r.load).filter((_, i) => i % 2 === 0), cpus: cpus().length },
      shoalResultFiles: filesWritten,
      rssMB: Math.round(process.memoryUsage().rss / 1048576),
    }),
  );
  await shoalPool.close();
  await koaPool.close();
  await shoal.close();
  await Promise.all([...pools.values()].map((p) => p.close()));
  koa.server.close();
  child.kill("SIGTERM");
  await once(child, "exit");
  rmSync(root, { recursive: true, force: true });
}

await main();
