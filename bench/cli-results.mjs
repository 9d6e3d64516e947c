// `shoal results` over 100 000 result files: wall time and peak memory of the
// command (run in a child process with a 64 MB heap cap, so loading every file
// at once would fail), for the default table, --json and a name-filtered query.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FILES = Number(process.env.FILES ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), "shoal-bench-results-"));
const t0 = Date.parse("2026-02-10T22:00:00Z");

const writeStart = performance.now();
for (let i = 0; i < FILES; i++) {
  const machine = `server-${i % 2000}`;
  const ok = i % 50 !== 0;
  const end = new Date(t0 + Math.floor(i / 2000) * 86_400_000 + (i % 2000) * 10);
  const stamp = end.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "_");
  const job = `Job-${Math.floor(i / 2000)}`;
  const content = {
    job_id: job, machine_id: machine, action: "PatchProfile", timestamp: end.toISOString(),
    status: ok ? "Success" : "Error", message: ok ? "Profile set" : "connect ECONNREFUSED", duration: `${20 + (i % 97)}ms`,
    error_type: ok ? undefined : "ConnectionRefused", payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    execution_id: `Exec-${Math.floor(i / 2000)}`, step: "patch", attempts: 1, started_at: end.toISOString(), ended_at: end.toISOString(),
    requests: [{ method: "PATCH", uri: "/redfish/v1/Managers/bmc", status: ok ? 200 : 0, duration_ms: 20 }],
  };
  writeFileSync(join(dir, `${job}_${machine}_PatchProfile_${stamp}_${ok ? "success" : "error"}.json`), JSON.stringify(content));
}
const writeSeconds = (performance.now() - writeStart) / 1000;

const runner = `
  import { Writable } from "node:stream";
  import { runCli } from "${new URL("../lib/cli/run.js", import.meta.url).href}";
  let bytes = 0;
  const sink = new Writable({ write(chunk, _e, cb) { bytes += chunk.length; cb(); } });
  const t = performance.now();
  const code = await runCli(JSON.parse(process.argv[1]), { stdout: sink, stderr: sink, stdin: process.stdin, env: {} });
  console.log(JSON.stringify({ code, seconds: +((performance.now() - t) / 1000).toFixed(2), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), outputMB: +(bytes / 1e6).toFixed(1) }));
`;

function measure(args) {
  const r = spawnSync(process.execPath, ["--max-old-space-size=64", "--input-type=module", "-e", runner, JSON.stringify(["results", "--dir", dir, ...args])], { encoding: "utf8" });
  try {
    return JSON.parse(r.stdout);
  } catch {
    return { error: `exit ${r.status}`, stderr: r.stderr.slice(-500) };
  }
}

const result = {
  files: FILES,
  writeSeconds: +writeSeconds.toFixed(1),
  table: measure([]),
  json: measure(["--json"]),
  jsonLast1000: measure(["--json", "--last", "1000"]),
  oneMachine: measure(["--machine", "server-7"]),
  errorsOnly: measure(["--status", "error"]),
};
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(result, null, 2));
