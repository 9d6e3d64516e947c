// Cluster: one PatchProfile run over 10 000 simulated BMCs (2 500 per
// simulator process, 20 ms added to each PATCH), worker pool 100 per gateway,
// on 1, 2 and 3 gateway processes in cluster mode on one PostgreSQL (a
// throwaway server), against one gateway on the file store. For each: wall
// time, and CPU per task of the gateways and of PostgreSQL (all its
// processes), from /proc. On a 2-core machine shared with the simulators and
// the database the figures are CPU-bound: read them as ratios, not as what a
// cluster of separate hosts would do.
//   CLUSTER_MACHINES=10000 CLUSTER_SIZES=1,2,3 node bench/cluster.mjs
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { startSimulators } from "./simulators.mjs";

const MACHINES = Number(process.env.CLUSTER_MACHINES ?? 10_000);
const SIZES = (process.env.CLUSTER_SIZES ?? "1,2,3").split(",").map(Number);
const PER_SIMULATOR = 2500;
const LATENCY_MS = 20;
const POOL = 100;
const main = fileURLToPath(new URL("../lib/gateway/main.js", import.meta.url));
const { testPostgres } = await import("../lib/test/helpers/postgres.js");
const children = [];
process.once("exit", () => children.forEach((c) => c.exitCode === null && c.kill("SIGKILL")));
process.once("SIGTERM", () => process.exit(1));

async function startGateway(env) {
  const dir = mkdtempSync(join(tmpdir(), "shoal-bench-cluster-"));
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", WORKER_POOL_SIZE: String(POOL), LOG_LEVEL: "warn", DATA_DIR: join(dir, "data"), LOGS_DIR: join(dir, "logs"), ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  // LOG_LEVEL warn hides the listening line; the port comes from the process's open sockets instead.
  const port = await until(() => listeningPort(child.pid), 120_000);
  return { child, dir, url: `http://127.0.0.1:${port}` };
}

async function stopGateway(g) {
  g.child.kill("SIGTERM");
  await once(g.child, "exit");
  rmSync(g.dir, { recursive: true, force: true });
}

/** The TCP port a process listens on (from /proc/net/tcp and its file descriptors). */
function listeningPort(pid) {
  const inodes = new Set();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m) inodes.add(m[1]);
      } catch {
        // Closed meanwhile.
      }
    }
  } catch {
    return undefined;
  }
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[3] === "0A" && inodes.has(f[9])) return parseInt(f[1].split(":")[1], 16);
  }
  return undefined;
}

async function until(fn, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function call(base, method, path, body) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await callOnce(base, method, path, body);
    } catch (error) {
      // A reset connection on a machine this loaded is retried; the calls here are safe to repeat or are checked.
      if (attempt >= 5 || error?.code !== "ECONNRESET") throw error;
      process.stderr.write(`retrying ${method} ${path} after ${error.code}\n`);
    }
  }
}

async function callOnce(base, method, path, body) {
  const res = await request(`${base}${path}`, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : {} };
}

async function register(url, bmcs) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < bmcs.length) {
        const b = bmcs[next++];
        const r = await call(url, "POST", "/MultiFish/v1/Platform", { Id: b.id, Type: "Extend", Endpoint: b.endpoint, Username: b.username, Password: b.password });
        if (r.status !== 201 && r.status !== 409) throw new Error(`register ${b.id}: ${r.status}`);
      }
    }),
  );
}

/** CPU seconds used so far by these processes (and, for a postmaster, its children). */
function cpuSeconds(pids) {
  let ticks = 0;
  const stat = (pid) => {
    try {
      const s = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
    } catch {
      return undefined;
    }
  };
  const all = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  const wanted = new Set(pids.map(String));
  for (const pid of all) {
    const s = stat(pid);
    if (s && (wanted.has(pid) || wanted.has(String(s.ppid)))) ticks += s.ticks;
  }
  return ticks / 100;
}

function postmasterPid(port) {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (args[0]?.endsWith("/postgres") && args.includes("-p") && args[args.indexOf("-p") + 1] === String(port)) return Number(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

async function oneRun(gateways, bmcs, profile, postmaster) {
  const [first] = gateways;
  const job = await call(first.url, "POST", "/MultiFish/v1/JobService/Jobs", {
    Name: `bench ${profile}`,
    Machines: bmcs.map((b) => b.id),
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: profile } }],
    Schedule: { Type: "Manual" },
  });
  if (job.status !== 201) throw new Error(`job: ${job.status} ${JSON.stringify(job.json).slice(0, 300)}`);
  const pids = gateways.map((g) => g.child.pid);
  const gw0 = cpuSeconds(pids);
  const db0 = postmaster ? cpuSeconds([postmaster]) : 0;
  const t0 = performance.now();
  const run = await call(first.url, "POST", `/MultiFish/v1/JobService/Jobs/${job.json.Id}/Actions/Trigger`, {});
  const path = `/MultiFish/v1/JobService/Jobs/${job.json.Id}/Executions/${run.json.Id}`;
  const final = await until(async () => {
    const r = await call(gateways[gateways.length - 1].url, "GET", path);
    return ["Completed", "Failed", "Cancelled"].includes(r.json.State) ? r.json : undefined;
  }, 30 * 60_000);
  const wallMs = performance.now() - t0;
  const gatewayCpu = cpuSeconds(pids) - gw0;
  const dbCpu = postmaster ? cpuSeconds([postmaster]) - db0 : 0;
  return {
    state: final.State,
    succeeded: final.Summary?.Succeeded,
    wallMs: Math.round(wallMs),
    gatewayCpuUsPerTask: Math.round((gatewayCpu * 1e6) / MACHINES),
    databaseCpuUsPerTask: Math.round((dbCpu * 1e6) / MACHINES),
  };
}

const progress = (what) => process.stderr.write(`[${new Date().toISOString()}] ${what}\n`);
const fleet = await startSimulators(MACHINES, { perProcess: PER_SIMULATOR, latencyMs: LATENCY_MS });
children.push(...fleet.children);
const bmcs = fleet.bmcs;
progress(`${bmcs.length} simulated BMCs up`);
const rows = [];

// The file store: one gateway, as without DATABASE_URL.
{
  const g = await startGateway({});
  await register(g.url, bmcs);
  progress("file store: machines registered");
  rows.push({ store: "file", gateways: 1, ...(await oneRun([g], bmcs, "PowerSaver", undefined)) });
  await stopGateway(g);
}

const pg = await testPostgres();
const port = Number(new URL(pg.url).port);
const postmaster = postmasterPid(port);
let registered = false;
const profiles = ["Balanced", "PowerSaver", "Performance"];
for (const [i, size] of SIZES.entries()) {
  const gateways = await Promise.all(Array.from({ length: size }, () => startGateway({ DATABASE_URL: pg.url, CLUSTER: "true" })));
  if (!registered) {
    await register(gateways[0].url, bmcs);
    registered = true;
  }
  // Every instance knows every machine before the run.
  await until(async () => {
    for (const g of gateways) if ((await call(g.url, "GET", "/MultiFish/v1/Platform?$top=1")).json["Members@odata.count"] !== MACHINES) return false;
    return true;
  }, 120_000);
  progress(`postgres, ${size} gateway(s): ready`);
  rows.push({ store: "postgres", gateways: size, ...(await oneRun(gateways, bmcs, profiles[i % profiles.length], postmaster)) });
  await Promise.all(gateways.map(stopGateway));
}

const file = rows.find((r) => r.store === "file");
const one = rows.find((r) => r.store === "postgres" && r.gateways === 1);
for (const r of rows) {
  if (one?.wallMs) r.wallVsOneGateway = +(r.wallMs / one.wallMs).toFixed(2);
  if (file) r.cpuPerTaskVsFileStore = +((r.gatewayCpuUsPerTask + r.databaseCpuUsPerTask) / file.gatewayCpuUsPerTask).toFixed(2);
}
process.stderr.write("store     gateways  wall s  gateway CPU us/task  database CPU us/task\n");
for (const r of rows) {
  process.stderr.write(`${r.store.padEnd(9)} ${String(r.gateways).padStart(8)}  ${(r.wallMs / 1000).toFixed(1).padStart(6)}  ${String(r.gatewayCpuUsPerTask).padStart(19)}  ${String(r.databaseCpuUsPerTask).padStart(20)}\n`);
}
console.log(
  JSON.stringify({
    machines: MACHINES,
    poolPerGateway: POOL,
    patchLatencyMs: LATENCY_MS,
    caveat: "2 cores shared by the gateways, the simulators and PostgreSQL: CPU-bound, compare as ratios",
    rows,
  }),
);
for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
process.exit(0);
