import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import {
  fileStamp,
  isResultWriteError,
  machineResultFileName,
  ResultWriter,
  type MachineResult,
} from "../../../gateway/results/result-writer.js";
import { outcomeFields } from "../../../gateway/results/task-outcome.js";
import { BmcError } from "../../../gateway/bmc/errors.js";
import { until } from "../../helpers/until.js";

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "shoal-results-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const success: MachineResult = {
  jobId: "Job-01JKZ6Q5R1",
  executionId: "Exec-01JKZ6Q5S4",
  machineId: "rack1-node01",
  action: "PatchProfile",
  step: "Nightly",
  status: "Success",
  message: "Profile PowerSaver on manager bmc (HTTP 204)",
  startedAt: "2026-02-10T22:00:00.690Z",
  endedAt: "2026-02-10T22:00:01.002Z",
  attempts: 1,
  payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
  requests: [
    { method: "GET", uri: "/redfish/v1/Managers/bmc", status: 200, duration_ms: 12 },
    { method: "PATCH", uri: "/redfish/v1/Managers/bmc", status: 204, duration_ms: 41 },
  ],
};

t.test("names files as MultiFish does, with the UTC end time", async (t) => {
  t.equal(fileStamp("2026-02-10T23:59:07+08:00"), "20260210_155907");
  t.equal(machineResultFileName(success), "Job-01JKZ6Q5R1_rack1-node01_PatchProfile_20260210_220001_success.json");
  t.equal(machineResultFileName({ ...success, status: "Error" }), "Job-01JKZ6Q5R1_rack1-node01_PatchProfile_20260210_220001_error.json");
  t.equal(machineResultFileName({ ...success, machineId: "../etc/passwd" }), "Job-01JKZ6Q5R1___etc_passwd_PatchProfile_20260210_220001_success.json", "no path can escape the directory");
});

t.test("writes the result file with MultiFish's fields and Shoal's, mode 0644", async (t) => {
  const dir = tempDir(t);
  const writer = new ResultWriter({ dir });
  const name = await writer.writeMachineResult(success);
  t.equal(name, "Job-01JKZ6Q5R1_rack1-node01_PatchProfile_20260210_220001_success.json");
  const doc = JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, unknown>;
  t.same(doc, {
    job_id: "Job-01JKZ6Q5R1",
    machine_id: "rack1-node01",
    action: "PatchProfile",
    timestamp: "2026-02-10T22:00:01Z",
    status: "Success",
    message: "Profile PowerSaver on manager bmc (HTTP 204)",
    duration: "312ms",
    error_type: null,
    error_detail: null,
    payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    execution_id: "Exec-01JKZ6Q5S4",
    step: "Nightly",
    attempts: 1,
    started_at: "2026-02-10T22:00:00.690Z",
    ended_at: "2026-02-10T22:00:01.002Z",
    requests: success.requests,
  });
  t.equal(statSync(join(dir, name)).mode & 0o777, 0o644);
  t.same(readdirSync(dir), [name], "no temp file left behind");
});

t.test("never overwrites: a taken name gets -2, -3", async (t) => {
  const dir = tempDir(t);
  const writer = new ResultWriter({ dir });
  const names = await Promise.all([1, 2, 3].map((attempts) => writer.writeMachineResult({ ...success, attempts })));
  const base = "Job-01JKZ6Q5R1_rack1-node01_PatchProfile_20260210_220001_success";
  t.same([...names].sort(), [`${base}-2.json`, `${base}-3.json`, `${base}.json`]);
  const attempts = names.map((n) => (JSON.parse(readFileSync(join(dir, n), "utf8")) as { attempts: number }).attempts).sort();
  t.same(attempts, [1, 2, 3], "each file kept its own content");
  t.equal(readdirSync(dir).length, 3);
});

t.test("the writer uses one temp name again for each file, and goes around a leftover of another process under it", async (t) => {
  const dir = tempDir(t);
  const writer = new ResultWriter({ dir });
  await writer.check();
  const seen = new Set<string>();
  const watcher = watch(dir, (_event, name) => {
    if (name) seen.add(String(name));
  });
  t.teardown(() => watcher.close());
  const names: string[] = [];
  for (let i = 0; i < 5; i++) names.push(await writer.writeMachineResult({ ...success, machineId: `node${i}` }));
  // Events arrive in order: once every result's has come, each temp file's before it has too.
  await until(() => names.every((n) => seen.has(n)), { what: "an event for every result file" });
  const temps = [...seen].filter((n) => !names.includes(n));
  t.equal(temps.length, 1, `one temp name for five files (${temps.join(", ")})`);
  t.same(readdirSync(dir).sort(), [...names].sort(), "no temp file left behind");

  // What an earlier process with our pid left under that name is neither overwritten nor removed.
  writeFileSync(join(dir, temps[0]!), "leftover");
  const next = await writer.writeMachineResult({ ...success, machineId: "node9" });
  t.equal(readFileSync(join(dir, next), "utf8").includes('"machine_id":"node9"'), true);
  t.equal(readFileSync(join(dir, temps[0]!), "utf8"), "leftover");
});

t.test("an error result keeps the class, the BMC's own message and the requests; no credentials", async (t) => {
  const dir = tempDir(t);
  const writer = new ResultWriter({ dir });
  const bmcError = new BmcError({
    type: "HttpError",
    transient: false,
    status: 400,
    message: "PATCH /redfish/v1/Managers/bmc returned HTTP 400",
    detail: {
      code: "Base.1.19.0.PropertyUnknown",
      "@Message.ExtendedInfo": [{ MessageId: "Base.1.19.0.PropertyUnknown", MessageArgs: ["Multiplier"] }],
      requests: [{ method: "PATCH", uri: "/redfish/v1/Managers/bmc", status: 400, duration_ms: 9 }],
    },
  });
  const fields = outcomeFields({ error: bmcError });
  const name = await writer.writeMachineResult({
    ...success,
    status: "Error",
    message: bmcError.message,
    errorType: fields.errorType,
    errorDetail: fields.errorDetail,
    requests: fields.requests,
    // A payload that (wrongly) carries credentials must not leak them.
    payload: [{ ManagerID: "bmc", Payload: { Profile: "x" }, Password: "hunter2", auth: { token: "abc123secret" } }],
  });
  t.match(name, /_error\.json$/);
  const text = readFileSync(join(dir, name), "utf8");
  const doc = JSON.parse(text) as Record<string, unknown>;
  t.equal(doc.error_type, "HttpError");
  t.same(doc.error_detail, {
    status: 400,
    code: "Base.1.19.0.PropertyUnknown",
    "@Message.ExtendedInfo": [{ MessageId: "Base.1.19.0.PropertyUnknown", MessageArgs: ["Multiplier"] }],
  });
  t.same(doc.requests, [{ method: "PATCH", uri: "/redfish/v1/Managers/bmc", status: 400, duration_ms: 9 }]);
  t.notOk(text.includes("hunter2"));
  t.notOk(text.includes("abc123secret"));
});

t.test("outcomeFields takes the requests from a successful action's output", async (t) => {
  const fields = outcomeFields({ output: { message: "ok", entries: [], requests: success.requests } });
  t.same(fields, { requests: success.requests, errorType: null, errorDetail: null });
  t.same(outcomeFields({ error: { type: "Timeout", message: "x" } }), { requests: [], errorType: "Timeout", errorDetail: null }, "a plain TaskError copy works too");
});

t.test("writes one summary per execution with counts and per-machine outcomes", async (t) => {
  const dir = tempDir(t);
  const writer = new ResultWriter({ dir });
  const name = await writer.writeSummary({
    jobId: "Job-01JKZ6Q5R1",
    executionId: "Exec-01JKZ6Q5S4",
    state: "Completed",
    health: "Warning",
    trigger: "Schedule",
    startedAt: "2026-02-10T22:00:00Z",
    endedAt: "2026-02-10T22:00:03Z",
    machines: [
      { machineId: "a", step: "Nightly", action: "PatchProfile", status: "Success", attempts: 1, resultFile: "f1.json" },
      { machineId: "b", step: "Nightly", action: "PatchProfile", status: "Error", attempts: 3, errorType: "Timeout", message: "no answer", resultFile: "f2.json" },
    ],
  });
  t.equal(name, "Job-01JKZ6Q5R1_Exec-01JKZ6Q5S4_summary.json");
  const doc = JSON.parse(readFileSync(join(dir, name), "utf8")) as { state: string; health: string; summary: unknown; machines: unknown[] };
  t.equal(doc.state, "Completed");
  t.equal(doc.health, "Warning");
  t.same(doc.summary, { machines: 2, succeeded: 1, failed: 1, other: 0 });
  t.match(doc.machines[1], { machine_id: "b", status: "Error", error_type: "Timeout", attempts: 3, result_file: "f2.json" });
  t.equal(await writer.writeSummary({ jobId: "Job-01JKZ6Q5R1", executionId: "Exec-01JKZ6Q5S4", state: "Failed", health: "Critical", startedAt: null, endedAt: null, machines: [] }), "Job-01JKZ6Q5R1_Exec-01JKZ6Q5S4_summary-2.json");
});

t.test("an unwritable directory is a typed error naming the directory and the reason", async (t) => {
  const dir = tempDir(t);
  const blocker = join(dir, "not-a-dir");
  writeFileSync(blocker, "");
  const writer = new ResultWriter({ dir: join(blocker, "logs") });
  let caught: unknown;
  try {
    await writer.writeMachineResult(success);
  } catch (error) {
    caught = error;
  }
  t.ok(isResultWriteError(caught));
  if (isResultWriteError(caught)) {
    t.equal(caught.code, "ResultDirUnwritable");
    t.equal(caught.dir, join(blocker, "logs"));
    t.match(caught.message, /Cannot write result files to .*not-a-dir\/logs: a path component is not a directory \(ENOTDIR\)/);
  }
  await t.rejects(writer.check(), { code: "ResultDirUnwritable" });
});

t.test("check() creates a missing directory and proves it takes files", async (t) => {
  const dir = join(tempDir(t), "nested", "logs");
  const writer = new ResultWriter({ dir });
  await writer.check();
  t.same(readdirSync(dir), [], "the probe is removed");
});
