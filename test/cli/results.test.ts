import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { parseDuration, parseSince, formatDuration } from "../../cli/durations.js";
import { scanResults } from "../../cli/result-files.js";
import { run } from "./helpers.js";
import { tempDir, writeResult } from "./results-fixtures.js";

const T0 = new Date("2026-02-10T22:00:00Z");
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

function sampleDir(): string {
  const dir = tempDir();
  writeResult(dir, { machine: "server-1", at: at(1), duration: "312ms" });
  writeResult(dir, { machine: "server-2", at: at(2), ok: false, errorType: "ConnectionRefused", message: "connect ECONNREFUSED", duration: "1.5s" });
  writeResult(dir, { machine: "server-3", at: at(3), duration: "2.25s" });
  writeResult(dir, { job: "Job-2", machine: "server-1", action: "PatchManager", at: at(60), duration: "1m2.5s" });
  // Odd files: not JSON, empty, whitespace only, JSON but not a record, an unrelated name, a directory.
  writeFileSync(join(dir, "Job-1_server-4_PatchProfile_20260210_220004_success.json"), "{ not json");
  writeFileSync(join(dir, "Job-1_server-5_PatchProfile_20260210_220005_error.json"), "");
  writeFileSync(join(dir, "Job-1_server-6_PatchProfile_20260210_220006_error.json"), "  \n");
  writeFileSync(join(dir, "Job-1_server-7_PatchProfile_20260210_220007_success.json"), '["an", "array"]');
  writeFileSync(join(dir, "Job-1_server-8_PatchProfile_20260210_220008_success.json"), '{"job_id": "Job-1"}');
  writeFileSync(join(dir, "notes.txt"), "hello");
  mkdirSync(join(dir, "archive"));
  // Expected, passed over quietly: an execution summary, hidden files, a writer's temp file.
  writeFileSync(join(dir, "Job-1_Exec-1_summary.json"), JSON.stringify({ state: "Completed" }));
  writeFileSync(join(dir, ".gitkeep"), "");
  writeFileSync(join(dir, "Job-1_server-9_PatchProfile_20260210_220009_success.json.tmp"), "{");
  return dir;
}

t.test("a table of every result, oldest first, and a summary with the slowest machines", async (t) => {
  const dir = sampleDir();
  const r = await run(["results", "--dir", dir]);
  t.equal(r.code, 0);
  const lines = r.stdout.trimEnd().split("\n");
  t.match(lines[0], /^TIME\s+JOB\s+MACHINE\s+ACTION\s+STATUS\s+DURATION\s+ERROR$/);
  t.match(lines[1], /^2026-02-10 22:00:01Z\s+Job-1\s+server-1\s+PatchProfile\s+Success\s+312ms$/);
  t.match(lines[2], /^2026-02-10 22:00:02Z\s+Job-1\s+server-2\s+PatchProfile\s+Error\s+1\.5s\s+ConnectionRefused: connect ECONNREFUSED$/);
  t.match(lines[3], /server-3\s+PatchProfile\s+Success\s+2\.25s/);
  t.match(lines[4], /^2026-02-10 22:01:00Z\s+Job-2\s+server-1\s+PatchManager\s+Success\s+1m03s$/);
  t.equal(lines[5], "4 results: 3 ok, 1 failed; slowest: server-1 1m03s, server-3 2.25s, server-2 1.5s; 7 odd files skipped");
  t.equal(lines.length, 6);
});

t.test("odd files are skipped with one warning each on stderr; summaries and hidden files quietly", async (t) => {
  const r = await run(["results", "--dir", sampleDir()]);
  const warnings = r.stderr.trimEnd().split("\n").sort();
  t.same(warnings, [
    "shoal: warning: skipped Job-1_server-4_PatchProfile_20260210_220004_success.json: not JSON",
    "shoal: warning: skipped Job-1_server-5_PatchProfile_20260210_220005_error.json: empty",
    "shoal: warning: skipped Job-1_server-6_PatchProfile_20260210_220006_error.json: empty",
    "shoal: warning: skipped Job-1_server-7_PatchProfile_20260210_220007_success.json: not a JSON object",
    "shoal: warning: skipped Job-1_server-8_PatchProfile_20260210_220008_success.json: not a result record (no machine_id, action, status)",
    "shoal: warning: skipped archive: a directory",
    "shoal: warning: skipped notes.txt: not a result file name ({JobId}_{MachineId}_{Action}_{YYYYMMDD_HHMMSS}_{success|error}.json)",
  ]);
});

t.test("filters by job, machine, action and status narrow the table and the summary", async (t) => {
  const dir = sampleDir();
  const byJob = await run(["results", "--dir", dir, "--job", "Job-2", "--json"]);
  t.same(JSON.parse(byJob.stdout).map((r: { machine_id: string }) => r.machine_id), ["server-1"]);
  const byMachine = await run(["results", "--dir", dir, "--machine", "server-1", "--json", "--last", "10"]);
  t.same(JSON.parse(byMachine.stdout).map((r: { job_id: string }) => r.job_id), ["Job-1", "Job-2"]);
  const byAction = await run(["results", "--dir", dir, "--action", "PatchManager", "--json"]);
  t.equal(JSON.parse(byAction.stdout).length, 1);
  const failed = await run(["results", "--dir", dir, "--status", "error"]);
  t.match(failed.stdout, /server-2/);
  t.notMatch(failed.stdout, /server-1|server-3/);
  t.match(failed.stdout, /^1 result: 0 ok, 1 failed; slowest: server-2 1\.5s; \d+ odd files? skipped$/m);
  const none = await run(["results", "--dir", dir, "--job", "Job-404"]);
  t.match(none.stdout, /^No results\./);
});

t.test("--since takes a duration back from now or a date", async (t) => {
  const dir = tempDir();
  const now = Date.now();
  writeResult(dir, { machine: "recent", at: new Date(now - 30 * 60_000) });
  writeResult(dir, { machine: "older", at: new Date(now - 3 * 3_600_000) });
  writeResult(dir, { machine: "ancient", at: new Date("2020-01-01T00:00:00Z") });
  const lastTwoHours = await run(["results", "--dir", dir, "--since", "2h", "--json"]);
  t.same(JSON.parse(lastTwoHours.stdout).map((r: { machine_id: string }) => r.machine_id), ["recent"]);
  const sinceDate = await run(["results", "--dir", dir, "--since", "2021-01-01", "--json", "--last", "5"]);
  t.same(JSON.parse(sinceDate.stdout).map((r: { machine_id: string }) => r.machine_id), ["older", "recent"]);
  const bad = await run(["results", "--dir", dir, "--since", "lately"]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--since: "lately" is neither a duration/);
});

t.test("--json prints every match as an array of the files' contents plus their names", async (t) => {
  const dir = sampleDir();
  const r = await run(["results", "--dir", dir, "--json"]);
  t.equal(r.code, 0);
  const items = JSON.parse(r.stdout) as Record<string, unknown>[];
  t.equal(items.length, 4);
  const failed = items.find((i) => i.machine_id === "server-2");
  t.match(failed, {
    file: "Job-1_server-2_PatchProfile_20260210_220002_error.json",
    job_id: "Job-1",
    status: "Error",
    error_type: "ConnectionRefused",
    requests: [{ method: "PATCH", status: 400 }],
  });
  const empty = await run(["results", "--dir", tempDir(), "--json"]);
  t.same(JSON.parse(empty.stdout), []);
});

t.test("--last N shows the newest N; the summary still counts every match", async (t) => {
  const dir = tempDir();
  for (let i = 0; i < 120; i++) writeResult(dir, { machine: `m${i}`, at: at(i), ok: i % 10 !== 0 });
  const r = await run(["results", "--dir", dir, "--last", "3"]);
  const lines = r.stdout.trimEnd().split("\n");
  t.same(lines.slice(1, 4).map((l) => l.split(/\s+/)[3]), ["m117", "m118", "m119"]);
  t.match(lines[4], /^120 results: 108 ok, 12 failed; .*\(table: newest 3; --last N for more\)$/);
  const table = await run(["results", "--dir", dir]);
  t.equal(table.stdout.trimEnd().split("\n").length, 52, "50 rows by default, header and summary");
});

t.test("thousands of files stream through, and warnings stop after 20", async (t) => {
  const dir = tempDir();
  for (let i = 0; i < 3000; i++) writeResult(dir, { machine: `server-${i}`, at: at(i % 600), ok: i % 100 !== 0 });
  for (let i = 0; i < 25; i++) writeFileSync(join(dir, `junk-${i}.log`), "x");
  const json = await run(["results", "--dir", dir, "--json"]);
  t.equal(JSON.parse(json.stdout).length, 3000);
  const warnings = json.stderr.trimEnd().split("\n");
  t.equal(warnings.length, 21);
  t.equal(warnings[20], "shoal: warning: skipped 5 more odd files");
  const table = await run(["results", "--dir", dir, "--status", "error"]);
  t.match(table.stdout, /^30 results: 0 ok, 30 failed/m);
});

t.test("the directory defaults to $LOGS_DIR; a missing one is an error (2)", async (t) => {
  const dir = sampleDir();
  const r = await run(["results", "--json"], { env: { LOGS_DIR: dir } });
  t.equal(JSON.parse(r.stdout).length, 4);
  const missing = await run(["results", "--dir", join(dir, "nope")]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /--dir .*nope: no such directory/);
});

t.test("a result file's duration falls back to started_at/ended_at", async (t) => {
  const dir = tempDir();
  writeFileSync(
    join(dir, "Job-1_s1_PatchProfile_20260210_220001_success.json"),
    JSON.stringify({ job_id: "Job-1", machine_id: "s1", action: "PatchProfile", status: "Success", started_at: "2026-02-10T22:00:00Z", ended_at: "2026-02-10T22:00:01.250Z" }),
  );
  const records = [];
  for await (const record of scanResults(dir)) records.push(record);
  t.equal(records.length, 1);
  t.equal(records[0]?.durationMs, 1250);
  t.equal(records[0]?.time, "2026-02-10T22:00:01.250Z");
});

t.test("durations: Go's format, ours, and --since forms", async (t) => {
  t.equal(parseDuration("312ms"), 312);
  t.equal(parseDuration("1m2.5s"), 62_500);
  t.equal(parseDuration("1.5µs"), 0.0015);
  t.equal(parseDuration("2h30m"), 9_000_000);
  t.equal(parseDuration("41"), 41);
  t.equal(parseDuration("fast"), null);
  t.equal(parseDuration("5 s"), null);
  const now = new Date("2026-02-10T22:00:00Z");
  t.equal(parseSince("2h", now)?.toISOString(), "2026-02-10T20:00:00.000Z");
  t.equal(parseSince("1d", now)?.toISOString(), "2026-02-09T22:00:00.000Z");
  t.equal(parseSince("2026-02-01", now)?.toISOString(), "2026-02-01T00:00:00.000Z");
  t.equal(parseSince("2026-02-01T10:00:00+02:00", now)?.toISOString(), "2026-02-01T08:00:00.000Z");
  t.equal(parseSince("15", now), null, "a bare number is ambiguous as --since");
  t.equal(formatDuration(41), "41ms");
  t.equal(formatDuration(1500), "1.5s");
  t.equal(formatDuration(12_340), "12.3s");
  t.equal(formatDuration(125_000), "2m05s");
  t.equal(formatDuration(7_500_000), "2h05m");
});
