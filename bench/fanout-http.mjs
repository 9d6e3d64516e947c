// Fan-out over HTTP, Shoal against a bare loop, A/B in the same bench run, each
// side in a process of its own beside one simulator process.
//
// The simulator runs in its own process: 2 000 BMCs, 20 ms added to each PATCH.
// Each machine gets a GET of its manager (ETag, AllowableValues) then a PATCH
// with If-Match, then one result file.
//
// - bare: undici Pool per machine (keep-alive), p-limit 100, GET + PATCH,
//   one small JSON file per machine with fs.promises.writeFile; a bare Koa app
//   (one route answering a small JSON job) is probed during its probed run. The anchor.
// - bare3: the same plus a GET of the manager after the PATCH: the BMC work
//   Shoal's action does (its result's After is read again after the PATCH, a
//   documented promise), so wallRatioSameWork compares equal work.
// - shoal: the gateway (scheduler, worker pool 100, Redfish client on its BMC
//   I/O thread as the gateway's main uses it, result writer, and its default
//   store: a FileStore journaling and syncing every change) runs a
//   PatchProfile job over the same machines, triggered through its REST API;
//   GET job is probed during its probed run. FANOUT_IO_THREAD=0 keeps BMC I/O on the main thread.
//
// After one untimed run per side (JIT, first growth of the result directories),
// each round runs every side cold (fresh connection pools), then at once warm
// (the same pools again, before their sockets idle out), then warm once more
// with the API probed; the sides' order rotates from round to round. Each timed
// run starts after an untimed sync(1), so no run pays for the write-back of an
// earlier run's files. Each run prints idleMs (how long its pools had been idle)
// and each round the 1-minute load average: other work on the machine moves
// every figure. Ratios are shoal / bare for wall time and CPU per machine (from
// the unprobed runs) and for the API's p50/p99 (from the probed ones);
// threadsCpuMs splits each run's CPU by thread (Linux: main, BMC I/O thread,
// result writer, the rest, the simulator).
//
// Why the fan-out is timed unprobed: the probe is not the same work on both
// sides. Shoal answers GET job with the 2 000-machine job (49 KB), the bare Koa
// app with 49 bytes, so a probed run charged Shoal's side with serving about
// 9 MB of JSON while the bare loop's side served 9 KB. The probed run's wall
// ratio is still printed (wallRatioProbed). FANOUT_PROBE=0 skips the probed runs.
//   FANOUT_TARGETS=2000 FANOUT_ROUNDS=2 FANOUT_SIDES=bare,bare3,shoal node --expose-gc bench/fanout-http.mjs
import { execFileSync, fork, spawn } from "node:child_process";
import { on, once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Koa from "koa";
import pLimit from "p-limit";
import { Pool } from "undici";
import { Scheduler, MemoryStore, FileStore } from "../lib/src/index.js";
import { createGateway } from "../lib/gateway/app.js";
import { createLogger } from "../lib/gateway/log.js";
import { RedfishClient } from "../lib/gateway/bmc/client.js";
import { registerBmcActions } from "../lib/gateway/bmc/register.js";
import { MachineRegistry } from "../lib/gateway/platform/registry.js";
import { ResultWriter } from "../lib/gateway/results/result-writer.js";

const TARGETS = Number(process.env.FANOUT_TARGETS ?? 2000);
const ROUNDS = Number(process.env.FANOUT_ROUNDS ?? 2);
const SIDES = (process.env.FANOUT_SIDES ?? "bare,bare3,shoal").split(",");
const STORE = process.env.FANOUT_STORE ?? "file";
const LATENCY_MS = 20;
const POOL = 100;
const sim = fileURLToPath(new URL("../lib/test/sim/main.js", import.meta.url));
const here = fileURLToPath(import.meta.url);

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

/** FANOUT_PROBE=0: no probed runs (no API figures), the fan-out alone. */
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

async function measured(pool, path, work, simPid, probed) {
  const threads0 = threadCpuMs(process.pid);
  const sim0 = threadCpuMs(simPid);
  const stop = probed ? probe(pool, path) : async () => [];
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
    ...(probed && { apiP50Ms: +percentile(latencies, 50).toFixed(2), apiP99Ms: +percentile(latencies, 99).toFixed(2), apiSamples: latencies.length }),
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
  // The gateway's own default: a FileStore, every change journaled and synced. FANOUT_STORE=memory for the MemoryStore.
  const stateDir = mkdtempSync(join(tmpdir(), "shoal-bench-state-"));
  const store = STORE === "memory" ? new MemoryStore() : new FileStore({ path: join(stateDir, "shoal.json") });
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
      const snapshots = store.stats?.snapshotWrites ?? 0;
      const triggered = await send("POST", `${jobPaths[profile]}/Actions/Trigger`, {});
      if (triggered.status !== 202 && triggered.status !== 200) throw new Error(`trigger: ${triggered.status} ${JSON.stringify(triggered.json)}`);
      const execution = await scheduler.waitForExecution(triggered.json.Id);
      const succeeded = execution.steps[0].targets.filter((t) => t.ok).length;
      // Snapshots of the whole state the store wrote during the run (FileStore compactions, which wait for a quiet moment).
      return { state: execution.state, health: execution.health, succeeded, storeSnapshots: (store.stats?.snapshotWrites ?? 0) - snapshots };
    },
    async close() {
      await api.close();
      await gateway.close();
      await scheduler.stop({ graceMs: 0 });
      await store.close();
      rmSync(stateDir, { recursive: true, force: true });
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

/**
 * One side in a process of its own (own heap, own threads): it sets up, then answers the
 * coordinator's "run" messages with each run's measurement. Sharing one process, each side's
 * idle pools and kept history were the other's garbage to mark, and the bare loops' sockets
 * timing out landed on Shoal's main thread during its runs (its main thread took 440-480 ms
 * per warm run beside them, 180-200 ms alone).
 */
async function sideProcess(side, bmcsFile, simPid) {
  // Without its coordinator (it failed, or was stopped) a side has nothing left to do.
  process.once("disconnect", () => process.exit(1));
  const bmcs = JSON.parse(readFileSync(bmcsFile, "utf8"));
  const root = mkdtempSync(join(tmpdir(), `shoal-bench-fanout-${side}-`));
  let runOnce;
  let freshPools;
  let close;
  let probePool;
  let probePath;
  let step = 0;
  if (side === "shoal") {
    const shoal = await shoalGateway(bmcs, root);
    probePool = new Pool(shoal.url, { connections: 1 });
    probePath = shoal.jobPath;
    runOnce = (profile) => shoal.fanOut(profile);
    freshPools = () => shoal.freshClient();
    close = () => shoal.close();
  } else {
    const koa = await bareKoa();
    probePool = new Pool(koa.url, { connections: 1 });
    probePath = "/job";
    let pools = barePools(bmcs);
    runOnce = (profile) => bareFanOut(bmcs, pools, profile, root, ++step, side === "bare3");
    freshPools = async () => {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools = barePools(bmcs);
    };
    close = async () => {
      await Promise.all([...pools.values()].map((p) => p.close()));
      koa.server.close();
    };
  }
  process.send({ ready: true });
  let lastUsed;
  for await (const [message] of on(process, "message")) {
    if (message.op === "close") {
      const files = readdirSync(root).length;
      const rssMB = Math.round(process.memoryUsage().rss / 1048576);
      await probePool.close();
      await close();
      rmSync(root, { recursive: true, force: true });
      process.send({ files, rssMB }, () => process.exit(0));
      return;
    }
    if (message.op === "rest") {
      // Connections left idle would time out a few seconds later, on the simulator's side and
      // ours, in the middle of the next side's runs: closed now, between sides.
      await freshPools();
      process.send({ rested: true });
      continue;
    }
    const { temp, profile } = message;
    if (temp === "untimed") {
      await runOnce(profile);
      process.send({ untimed: true });
    } else {
      if (temp === "cold") await freshPools();
      globalThis.gc?.();
      const idleMs = temp === "cold" || lastUsed === undefined ? null : Math.round(performance.now() - lastUsed);
      const result = await measured(probePool, probePath, () => runOnce(profile), simPid, temp === "probed");
      result.idleMs = idleMs;
      process.send(result);
    }
    lastUsed = performance.now();
  }
}

/** Starts a side's process and waits until it is set up. */
async function startSide(side, bmcsFile, simPid) {
  const proc = fork(here, ["--side", side, bmcsFile, String(simPid)], { execArgv: ["--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = once(proc, "exit");
  // A side that dies (a crash, the OOM killer) fails the bench instead of leaving it waiting.
  const died = exited.then(([code, signal]) => Promise.reject(new Error(`side ${side} exited (${signal ?? code})`)));
  died.catch(() => {});
  const reply = async () => (await Promise.race([once(proc, "message"), died]))[0];
  const ready = await reply();
  if (!ready.ready) throw new Error(`side ${side} did not start`);
  return {
    async ask(message) {
      proc.send(message);
      return reply();
    },
    exited,
  };
}

async function main() {
  const { child, bmcs } = await startSimulators();
  // If the bench fails, the simulator (its own process) must not outlive it.
  process.once("exit", () => child.kill("SIGTERM"));
  const sideNames = ["bare", "bare3", "shoal"].filter((s) => SIDES.includes(s));
  const bmcsDir = mkdtempSync(join(tmpdir(), "shoal-bench-fanout-"));
  const bmcsFile = join(bmcsDir, "bmcs.json");
  writeFileSync(bmcsFile, JSON.stringify(bmcs));
  const sides = {};
  for (const name of sideNames) sides[name] = await startSide(name, bmcsFile, child.pid);
  const profiles = ["PowerSaver", "Balanced"];
  let step = 0;

  // One untimed run per side first: the first fan-out of a process also pays the JIT (on each
  // thread that does HTTP) and a result directory's first growth, which is not what "cold"
  // (fresh connection pools) measures. FANOUT_WARMUP=0 keeps it in round 1.
  if (process.env.FANOUT_WARMUP !== "0") {
    for (const name of sideNames) {
      await sides[name].ask({ temp: "untimed", profile: profiles[step++ % 2] });
      await sides[name].ask({ op: "rest" });
    }
  }
  const rounds = [];
  // Each side's warm run comes right after its own cold run. undici closes a socket idle for
  // 3 s (the simulator's keep-alive hint of 5 s less undici's 2 s margin): a side whose warm
  // run waited behind the other sides' runs found its sockets closed and ran cold again.
  // idleMs says how long its pools had been idle.
  for (let r = 0; r < ROUNDS; r++) {
    const temps = PROBE ? ["cold", "warm", "probed"] : ["cold", "warm"];
    const result = Object.fromEntries(temps.map((t) => [t, {}]));
    // Rotate which side goes first, so none always runs on a quieter machine.
    const shift = r % sideNames.length;
    for (const side of [...sideNames.slice(shift), ...sideNames.slice(0, shift)]) {
      for (const temp of temps) {
        settleDisk();
        result[temp][side] = await sides[side].ask({ temp, profile: profiles[step++ % 2] });
      }
      await sides[side].ask({ op: "rest" });
    }
    // Other work on the machine skews every figure: the 1-minute load average as the round ends.
    const load = +loadavg()[0].toFixed(1);
    for (const temp of temps) {
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
        ...(temp === "probed" && { apiP99Ratio: ratio(s.apiP99Ms, bare.apiP99Ms) }),
      });
    }
  }
  const range = (temp, key) => {
    const vs = rounds.filter((r) => (temp === undefined || r.temp === temp) && r[key] !== undefined).map((r) => r[key]);
    return vs.length === 0 ? null : [Math.min(...vs), Math.max(...vs)];
  };
  const unprobed = (key) => {
    const vs = rounds.filter((r) => r.temp !== "probed" && r[key] !== undefined).map((r) => r[key]);
    return vs.length === 0 ? null : [Math.min(...vs), Math.max(...vs)];
  };
  const shoalRange = (key) => range("probed", key === "apiP50Ms" ? "shoalApiP50Ms" : key);
  for (const r of rounds) if (r.shoal?.apiP50Ms !== undefined) r.shoalApiP50Ms = r.shoal.apiP50Ms;
  const closed = {};
  for (const name of sideNames) closed[name] = await sides[name].ask({ op: "close" });
  console.log(
    JSON.stringify({
      targets: TARGETS,
      pool: POOL,
      shoalStore: STORE === "memory" ? "MemoryStore" : "FileStore",
      addedLatencyMsPerPatch: LATENCY_MS,
      rounds,
      summary: {
        wallRatioCold: range("cold", "wallRatio"),
        wallRatioWarm: range("warm", "wallRatio"),
        wallRatioSameWorkCold: range("cold", "wallRatioSameWork"),
        wallRatioSameWorkWarm: range("warm", "wallRatioSameWork"),
        cpuRatio: unprobed("cpuRatio"),
        cpuRatioSameWork: unprobed("cpuRatioSameWork"),
        wallRatioProbed: range("probed", "wallRatio"),
        apiP50MsShoal: shoalRange("apiP50Ms"),
        apiP99Ratio: range("probed", "apiP99Ratio"),
      },
      goal: { wallRatio: 1.1, apiP50Ms: 3, apiP99Ratio: 1.2 },
      loadAverage: { oneMinute: rounds.filter((r) => r.temp === "cold").map((r) => r.load), cpus: cpus().length },
      shoalResultFiles: closed.shoal?.files ?? 0,
      rssMB: Object.fromEntries(sideNames.map((name) => [name, closed[name].rssMB])),
    }),
  );
  await Promise.all(sideNames.map((name) => sides[name].exited));
  rmSync(bmcsDir, { recursive: true, force: true });
  child.kill("SIGTERM");
  await once(child, "exit");
}

if (process.argv[2] === "--side") await sideProcess(process.argv[3], process.argv[4], Number(process.argv[5]));
else await main();
