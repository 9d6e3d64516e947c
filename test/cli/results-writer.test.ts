import { writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { ResultWriter } from "../../gateway/results/result-writer.js";
import { run } from "./helpers.js";
import { tempDir } from "./results-fixtures.js";

t.test("shoal results reads what the gateway's ResultWriter writes, summaries and name clashes included", async (t) => {
  const dir = tempDir();
  const writer = new ResultWriter({ dir });
  const base = { jobId: "Job-01JX", executionId: "Exec-1", action: "PatchProfile", step: "patch", message: "ok", attempts: 1, payload: [] };
  await writer.writeMachineResult({ ...base, machineId: "server-1", status: "Success", startedAt: "2026-02-10T22:00:00.000Z", endedAt: "2026-02-10T22:00:00.412Z" });
  await writer.writeMachineResult({
    ...base,
    machineId: "server-2",
    status: "Error",
    message: "BMC answered 400",
    errorType: "HttpError",
    errorDetail: { status: 400 },
    attempts: 1,
    startedAt: "2026-02-10T22:00:00.000Z",
    endedAt: "2026-02-10T22:00:00.051Z",
  });
  // Same machine, same second: the writer picks "-2"; both are results.
  await writer.writeMachineResult({ ...base, executionId: "Exec-2", machineId: "server-1", status: "Success", startedAt: "2026-02-10T22:00:00.100Z", endedAt: "2026-02-10T22:00:00.900Z" });
  await writer.writeSummary({ jobId: "Job-01JX", executionId: "Exec-1", state: "Completed", health: "Warning", startedAt: null, endedAt: null, machines: [] });
  writeFileSync(join(dir, "Job-01JX_server-3_PatchProfile_20260210_220001_success.json"), "");

  const r = await run(["results", "--dir", dir]);
  t.equal(r.code, 0);
  const lines = r.stdout.trimEnd().split("\n");
  t.equal(lines.length, 5);
  t.match(lines[1], /^2026-02-10 22:00:00Z\s+Job-01JX\s+server-2\s+PatchProfile\s+Error\s+51ms\s+HttpError: BMC answered 400$/);
  t.match(lines[4], /^3 results: 2 ok, 1 failed; slowest: server-1 800ms, server-2 51ms; 1 odd file skipped$/);
  t.equal(r.stderr, "shoal: warning: skipped Job-01JX_server-3_PatchProfile_20260210_220001_success.json: empty\n");
  const json = await run(["results", "--dir", dir, "--json", "--machine", "server-1"]);
  const files = (JSON.parse(json.stdout) as { file: string }[]).map((i) => i.file).sort();
  t.same(files, ["Job-01JX_server-1_PatchProfile_20260210_220000_success-2.json", "Job-01JX_server-1_PatchProfile_20260210_220000_success.json"]);
});
