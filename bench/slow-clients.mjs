// Clients that pipeline requests and never read the answers, against the
// gateway in its own process (as `npm start` runs it): its RSS before, during
// and after the attack, and whether another client is served meanwhile.
//
// The gateway gets MACHINES registered machines, so `GET /Platform?$expand=.`
// answers a page of 1000 machines (about 1.5 MB). CONNECTIONS raw TCP sockets
// then write that GET back to back for SECONDS seconds and read nothing; a
// probe client GETs one machine every 250 ms on its own connection. RSS is read
// from /proc (Linux). A safety cap stops the attack early if the gateway's RSS
// passes CAP_MB (the old code grows to gigabytes), and says so.
//   node bench/slow-clients.mjs [gatewayMain=lib/gateway/main.js] [seconds=20] [connections=20] [machines=1000] [capMb=1500]
// (SLOW_CLIENT_SECONDS sets the attack's length when no argument does; `npm run bench` uses 10.)
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const gatewayMain = resolve(args[0] ?? join(here, "..", "lib", "gateway", "main.js"));
const [seconds = Number(process.env.SLOW_CLIENT_SECONDS ?? 20), connections = 20, machines = 1000, capMb = 1500] = args.slice(1).map(Number);
const PROBE_EVERY_MS = 250;
const PROBE_DEADLINE_MS = 5000;
const SETTLE_MS = 5000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0");
  return Math.round(kb / 1024);
}

function startGateway(dir) {
  const child = spawn(process.execPath, [gatewayMain], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", DATA_DIR: join(dir, "data"), LOGS_DIR: join(dir, "logs"), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolveUrl, reject) => {
    const onData = (chunk) => {
      output += chunk.toString();
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/MultiFish\/v1"/.exec(output);
      if (m) {
        child.stdout.removeAllListeners("data");
        child.stderr.removeAllListeners("data");
        // Keep draining its output so a chatty log never blocks it.
        child.stdout.resume();
        child.stderr.resume();
        resolveUrl({ child, url: m[1] });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`gateway exited ${code}: ${output.slice(-2000)}`)));
  });
}

async function register(pool, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const id = `node-${String(i).padStart(5, "0")}`;
      const body = JSON.stringify({
        Id: id,
        Name: `Rack ${Math.floor(i / 40)} node ${i % 40}, a name of a realistic length`,
        Type: "Extend",
        Endpoint: `https://10.${Math.floor(i / 65536) % 256}.${Math.floor(i / 256) % 256}.${i % 256}`,
        Username: "root",
        Password: "bench-password",
      });
      const res = await pool.request({ method: "POST", path: "/MultiFish/v1/Platform", headers: { "content-type": "application/json" }, body });
      await res.body.text();
      if (res.statusCode !== 201) throw new Error(`register ${id}: HTTP ${res.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** A socket that writes the same GET back to back, as fast as the gateway takes it, and reads nothing. */
function attacker(url, stats) {
  const { hostname, port } = new URL(url);
  const request = Buffer.from(`GET /MultiFish/v1/Platform?$expand=. HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
  const batch = Buffer.concat(Array.from({ length: 64 }, () => request));
  const socket = connect(Number(port), hostname);
  socket.pause();
  let stopped = false;
  socket.on("error", () => {
    stopped = true;
  });
  socket.on("close", () => {
    stopped = true;
    stats.closedByGateway += 1;
  });
  const pump = () => {
    while (!stopped && socket.write(batch)) stats.requestsWritten += 64;
    if (!stopped) stats.requestsWritten += 64;
  };
  socket.on("connect", pump);
  socket.on("drain", pump);
  return {
    stop() {
      stopped = true;
      socket.removeAllListeners("close");
      socket.destroy();
    },
  };
}

async function probe(url, until, results) {
  const pool = new Pool(url, { connections: 1 });
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const res = await pool.request({ method: "GET", path: "/MultiFish/v1/Platform/node-00000", headersTimeout: PROBE_DEADLINE_MS, bodyTimeout: PROBE_DEADLINE_MS });
      await res.body.text();
      const ms = performance.now() - started;
      if (res.statusCode === 200) results.ok.push(ms);
      else {
        results.failed += 1;
        results.errors.add(`HTTP ${res.statusCode}`);
      }
      if (ms > (results.slowest?.ms ?? 0)) results.slowest = { ms: Math.round(ms), atSecond: Number(((Date.now() - until) / 1000 + seconds - ms / 1000).toFixed(1)) };
    } catch (error) {
      results.failed += 1;
      results.errors.add(`${error?.code ?? String(error)} at ${((Date.now() - until) / 1000 + seconds).toFixed(1)} s`);
    }
    await sleep(PROBE_EVERY_MS);
  }
  await pool.close();
}

const dir = await mkdtemp(join(tmpdir(), "shoal-slow-clients-"));
const { child, url } = await startGateway(dir);
const result = { gateway: gatewayMain, seconds, connections, machines };
try {
  const pool = new Pool(url, { connections: 16 });
  await register(pool, machines);
  const page = await pool.request({ method: "GET", path: "/MultiFish/v1/Platform?$expand=." });
  result.answerBytes = (await page.body.text()).length;
  await pool.close();
  await sleep(1000);
  result.rssBeforeMb = await rssMb(child.pid);

  const stats = { requestsWritten: 0, closedByGateway: 0 };
  const probes = { ok: [], failed: 0, errors: new Set() };
  const startedAt = Date.now();
  const attackers = Array.from({ length: connections }, () => attacker(url, stats));
  const probing = probe(url, startedAt + seconds * 1000, probes);
  let peak = result.rssBeforeMb;
  let cappedAt;
  while (Date.now() < startedAt + seconds * 1000) {
    await sleep(250);
    peak = Math.max(peak, await rssMb(child.pid));
    if (peak > capMb) {
      cappedAt = (Date.now() - startedAt) / 1000;
      break;
    }
  }
  result.rssPeakDuringMb = peak;
  if (cappedAt !== undefined) result.stoppedEarly = `RSS passed ${capMb} MB after ${cappedAt.toFixed(1)} s; attack stopped`;
  for (const a of attackers) a.stop();
  await probing;
  result.attack = { requestsWritten: stats.requestsWritten, connectionsClosedByGateway: stats.closedByGateway };
  const sorted = probes.ok.sort((a, b) => a - b);
  result.otherClient = {
    served: sorted.length,
    failedOrTimedOut: probes.failed,
    errors: [...probes.errors],
    p50Ms: sorted.length ? Math.round(sorted[Math.floor(sorted.length / 2)]) : null,
    maxMs: sorted.length ? Math.round(sorted[sorted.length - 1]) : null,
    slowest: probes.slowest ?? null,
  };
  await sleep(SETTLE_MS);
  result.rssAfterMb = await rssMb(child.pid);
  const after = new Pool(url, { connections: 1 });
  const startedProbe = performance.now();
  try {
    const res = await after.request({ method: "GET", path: "/MultiFish/v1/Platform/node-00000", headersTimeout: PROBE_DEADLINE_MS, bodyTimeout: PROBE_DEADLINE_MS });
    await res.body.text();
    result.servedAfter = { status: res.statusCode, ms: Math.round(performance.now() - startedProbe) };
  } catch (error) {
    result.servedAfter = { error: String(error) };
  }
  await after.close();
  result.rssGrowthMb = result.rssPeakDuringMb - result.rssBeforeMb;
} finally {
  child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(result, null, 2));
