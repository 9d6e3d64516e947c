/**
 * Every gateway-facing command (run in-process through runCli), against a
 * real gateway composed as `npm start` composes it, patching simulated BMCs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { startSimulatedBmcs } from "../sim/fleet.js";
import { until } from "../helpers/until.js";
import { json, shoal, startRealGateway } from "./e2e-helpers.js";
import { tempDir } from "./results-fixtures.js";

type Resource = Record<string, unknown>;

function profileOf(doc: Resource | undefined): unknown {
  const oem = doc?.Oem as { OpenBmc?: { Fan?: { Profile?: unknown } } } | undefined;
  return oem?.OpenBmc?.Fan?.Profile;
}

t.test("jobs, executions and results end to end", async (t) => {
  const g = await startRealGateway();
  const fleet = await startSimulatedBmcs(4);
  t.teardown(async () => {
    await g.close();
    await fleet.close();
  });
  const env = { SHOAL_URL: g.url };
  const work = tempDir("shoal-e2e-files-");
  const machines = fleet.bmcs.map((b) => b.id);

  for (const bmc of fleet.bmcs) {
    const r = await shoal(["machines", "add", "--id", bmc.id, "--endpoint", bmc.endpoint, "--bmc-user", bmc.username, "--password-stdin", "--type", "Extend", "--timeout", "5"], {
      env,
      stdin: bmc.password,
    });
    t.equal(r.code, 0, r.stderr);
  }
  const payloadFile = join(work, "power-saver.json");
  writeFileSync(payloadFile, JSON.stringify([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]));

  let jobId = "";
  t.test("jobs create from flags", async (t) => {
    const r = await shoal(
      ["jobs", "create", "--name", "Nightly PowerSaver", "--action", "PatchProfile", "--machines", machines.join(","), "--payload-file", payloadFile,
        "--at", "22:00", "--days", "Mon-Fri", "--from", "2026-02-10", "--tz", "Asia/Taipei", "--json"],
      { env },
    );
    t.equal(r.code, 0, r.stderr);
    const job = json<Resource>(r);
    jobId = String(job.Id);
    t.match(jobId, /^Job-/);
    t.match(job, {
      Name: "Nightly PowerSaver",
      Action: "PatchProfile",
      Machines: machines,
      Enabled: true,
      ScheduleDescription: "At 22:00 on Monday to Friday, from 2026-02-10 (Asia/Taipei)",
      Schedule: { Type: "Continuous", TimeZone: "Asia/Taipei", Period: { StartDay: "2026-02-10" } },
    });
    t.match(String(job.NextRunTime), /T14:00:00Z$/, "22:00 in Taipei is 14:00 UTC");
    const human = await shoal(["jobs", "create", "--name", "Nightly twin", "--action", "PatchProfile", "--machines", "sim-1", "--payload-file", payloadFile, "--at", "22:00"], { env });
    t.equal(human.code, 0, human.stderr);
    t.match(human.stdout, /^Created Job-\S+ "Nightly twin": At 22:00 every day \(UTC\); next run \S+ \(Scheduled\)\n$/);
  });

  t.test("jobs list and get", async (t) => {
    const table = await shoal(["jobs", "list"], { env });
    t.equal(table.code, 0);
    t.match(table.stdout, /^ID\s+NAME\s+STATUS\s+NEXT RUN\s+LAST RUN\s+LAST OUTCOME\s+SCHEDULE\n/);
    t.match(table.stdout, new RegExp(`${jobId}\\s+Nightly PowerSaver\\s+Scheduled\\s+\\d{4}-\\d\\d-\\d\\d 14:00:00Z\\s+-\\s+-\\s+At 22:00 on Monday`));
    const list = json<Resource[]>(await shoal(["jobs", "list", "--json"], { env }));
    t.ok(list.some((j) => j.Id === jobId));
    const got = await shoal(["jobs", "get", jobId], { env });
    t.equal(got.code, 0);
    t.match(got.stdout, new RegExp(`^Id:\\s+${jobId}$`, "m"));
    t.match(got.stdout, /^Work:\s+PatchProfile on sim-1, sim-2, sim-3, sim-4$/m);
    t.equal(json<Resource>(await shoal(["jobs", "get", jobId, "--json"], { env })).Id, jobId);
  });

  t.test("jobs pause, resume and edit", async (t) => {
    const paused = json<Resource>(await shoal(["jobs", "pause", jobId, "--json"], { env }));
    t.match(paused, { Enabled: false, Status: "Paused", NextRunTime: null });
    const resumed = await shoal(["jobs", "resume", jobId], { env });
    t.equal(resumed.code, 0);
    t.match(resumed.stdout, /^Resumed Job-\S+ "Nightly PowerSaver": .*\(Scheduled\)$/m);
    const edited = json<Resource>(await shoal(["jobs", "edit", jobId, "--cron", "0 6 * * 1-5", "--tz", "Europe/Berlin", "--json"], { env }));
    t.match(edited, { Schedule: { Type: "Cron", Cron: "0 6 * * 1-5", TimeZone: "Europe/Berlin" }, ScheduleDescription: "At 06:00, Monday through Friday (Europe/Berlin)" });
    const invalid = await shoal(["jobs", "edit", jobId, "--schedule", '{"Type":"Continuous","Time":"25:00:00"}'], { env });
    t.equal(invalid.code, 2);
    t.match(invalid.stderr, /^shoal: .*25:00.*$/m);
    const unchanged = json<Resource>(await shoal(["jobs", "get", jobId, "--json"], { env }));
    t.match(unchanged, { Schedule: { Type: "Cron" } }, "an invalid edit changes nothing");
  });

  // An execution reads Completed a moment before the scheduler lets go of the job (the job's
  // Status leaves Running on executionFinished); a new run can start only after that.
  const jobIdle = () =>
    until(async () => json<Resource>(await shoal(["jobs", "get", jobId, "--json"], { env })).Status !== "Running", { what: "the job to leave Running" });

  let executionId = "";
  t.test("jobs trigger --wait: every machine patched, exit 0", async (t) => {
    await jobIdle();
    const r = await shoal(["jobs", "trigger", jobId, "--wait", "--interval", "100", "--json"], { env });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stderr, "");
    const execution = json<Resource>(r);
    executionId = String(execution.Id);
    t.match(execution, { State: "Completed", Health: "OK", Summary: { Machines: 4, Succeeded: 4, Failed: 0 } });
    for (const bmc of fleet.bmcs) t.equal(profileOf(bmc.managerDocument("bmc")), "PowerSaver", `${bmc.id} patched`);
    await jobIdle();
    const human = await shoal(["jobs", "trigger", jobId, "--wait", "--interval", "100"], { env });
    t.equal(human.code, 0);
    t.match(human.stdout, /^Execution \S+ of job Job-\S+: Completed, health OK: 4 machines, 4 ok, 0 failed, in \S+\n$/);
    await jobIdle();
    const noWait = await shoal(["jobs", "trigger", jobId, "--json"], { env });
    t.equal(noWait.code, 0);
    t.match(json<Resource>(noWait), { JobId: jobId, Trigger: "Manual" });
    // Let that third run finish before the next tests count executions.
    const third = String(json<Resource>(noWait).Id);
    await until(async () => {
      const e = json<Resource>(await shoal(["executions", "show", jobId, third, "--json"], { env }));
      return e.State !== "Running" && e.State !== "Pending";
    }, { what: "the third run to end" });
  });

  t.test("jobs trigger --wait with a refusing BMC: exit 1 and the failure listed", async (t) => {
    const refusing = fleet.bmcs[3];
    if (!refusing) throw new Error("no fourth BMC");
    await refusing.setFault({ kind: "refuse" });
    await jobIdle();
    const r = await shoal(["jobs", "trigger", jobId, "--wait", "--interval", "100"], { env });
    await refusing.setFault(null);
    t.equal(r.code, 1, r.stderr);
    t.match(r.stdout, /Completed, health Warning: 4 machines, 3 ok, 1 failed/);
    t.match(r.stdout, /^STEP\s+MACHINE\s+STATUS\s+ATTEMPTS\s+DURATION\s+DETAIL\n.+?\s+sim-4\s+Error\s+1\s+\S+\s+ConnectionRefused: /m);
  });

  t.test("executions list and show", async (t) => {
    const table = await shoal(["executions", jobId], { env });
    t.equal(table.code, 0);
    const rows = table.stdout.trimEnd().split("\n");
    t.match(rows[0], /^ID\s+STATE\s+HEALTH\s+TRIGGER\s+STARTED\s+DURATION\s+MACHINES\s+FAILED$/);
    t.equal(rows.length, 5, "four executions, newest first");
    t.match(rows[1], /Completed\s+Warning\s+Manual\s+.*\s+4\s+1$/);
    const list = json<Resource[]>(await shoal(["executions", "list", jobId, "--last", "2", "--json"], { env }));
    t.equal(list.length, 2);
    const shown = await shoal(["executions", "show", jobId, executionId], { env });
    t.equal(shown.code, 0);
    t.match(shown.stdout, new RegExp(`^Execution:\\s+${executionId}$`, "m"));
    t.match(shown.stdout, /^Outcome:\s+Completed, health OK: 4 machines, 4 ok, 0 failed/m);
    t.equal(shown.stdout.split("\n").filter((l) => /\ssim-\d\s+Success\s/.test(l)).length, 4);
    const failedOnly = await shoal(["executions", "show", jobId, String(list[0]?.Id), "--failed"], { env });
    t.equal(failedOnly.stdout.split("\n").filter((l) => /\ssim-\d\s/.test(l)).length, 1);
    const missing = await shoal(["executions", "show", jobId, "Exec-nope"], { env });
    t.equal(missing.code, 2);
  });

  t.test("results reads the files those executions wrote, skipping odd ones", async (t) => {
    writeFileSync(join(g.logsDir, "README.txt"), "not a result");
    writeFileSync(join(g.logsDir, `${jobId}_sim-9_PatchProfile_20260210_220000_success.json`), "");
    writeFileSync(join(g.logsDir, `${jobId}_sim-8_PatchProfile_20260210_220000_error.json`), "{ truncated");
    const r = await shoal(["results", "--dir", g.logsDir, "--job", jobId]);
    t.equal(r.code, 0);
    t.match(r.stdout, /^16 results: 15 ok, 1 failed; slowest: /m);
    t.match(r.stderr, /skipped README\.txt: not a result file name/);
    t.match(r.stderr, /skipped \S+_sim-9_\S+: empty/);
    t.match(r.stderr, /skipped \S+_sim-8_\S+: not JSON/);
    const errors = json<Resource[]>(await shoal(["results", "--dir", g.logsDir, "--status", "error", "--json"]));
    t.equal(errors.length, 1);
    t.match(errors[0], { job_id: jobId, machine_id: "sim-4", status: "Error", error_type: "ConnectionRefused" });
    const recent = json<Resource[]>(await shoal(["results", "--dir", g.logsDir, "--since", "10m", "--machine", "sim-1", "--json"]));
    t.equal(recent.filter((x) => x.job_id === jobId).length, 4);
    t.notMatch(JSON.stringify(errors) + r.stdout, /sim-password/, "no credentials in result files");
  });

  t.test("a run in progress: a second trigger fails to start (3); a cancelled run exits 3", async (t) => {
    const hanging = fleet.bmcs[2];
    if (!hanging) throw new Error("no third BMC");
    await hanging.setFault({ kind: "hang", methods: ["GET", "PATCH"] });
    await jobIdle();
    const waiting = shoal(["jobs", "trigger", jobId, "--wait", "--interval", "100", "--json"], { env });
    const running = await until(async () => {
      const list = json<Resource[]>(await shoal(["executions", jobId, "--last", "1", "--json"], { env }));
      return list.find((e) => e.State === "Running");
    }, { what: "the triggered execution to be running" });
    const second = await shoal(["jobs", "trigger", jobId], { env });
    t.equal(second.code, 3, "overlap Skip refuses to start another run");
    t.match(second.stderr, /^shoal: .+/);
    const cancel = await shoal(["executions", "cancel", jobId, String(running.Id), "--json"], { env });
    t.equal(cancel.code, 0, cancel.stderr);
    const waited = await waiting;
    t.equal(waited.code, 3, "the waiting trigger reports the cancellation");
    t.match(json(waited), { State: "Cancelled" });
    await hanging.setFault(null);
  });

  t.test("jobs create -f, cancel and delete", async (t) => {
    const bodyFile = join(work, "manual.json");
    writeFileSync(bodyFile, JSON.stringify({ Name: "On demand", Machines: ["sim-1"], Action: "PatchProfile", Payload: [{ ManagerID: "bmc", Payload: { Profile: "Performance" } }], Schedule: { Type: "Manual" } }));
    const created = json<Resource>(await shoal(["jobs", "create", "-f", bodyFile, "--json"], { env }));
    t.match(created, { Name: "On demand", ScheduleDescription: "Only when triggered", NextRunTime: null });
    const id = String(created.Id);
    const cancelled = await shoal(["jobs", "cancel", id], { env });
    t.equal(cancelled.code, 0);
    t.match(cancelled.stdout, /\(Cancelled\)\n$/);
    const deleted = await shoal(["jobs", "delete", id], { env });
    t.equal(deleted.code, 0);
    t.equal(deleted.stdout, `Deleted job ${id}\n`);
    const gone = await shoal(["jobs", "get", id], { env });
    t.equal(gone.code, 2);
    const badAction = await shoal(["jobs", "create", "--name", "x", "--action", "PatchTurbo", "--machines", "sim-1", "--manual"], { env });
    t.equal(badAction.code, 2);
    t.equal(badAction.stderr, "shoal: The value 'PatchTurbo' for the property Action is not one of the values the property accepts.\n");
    const twoProblems = await shoal(["jobs", "create", "--name", "x", "--action", "PatchProfile", "--machines", "sim-1,ghost", "--manual"], { env });
    t.equal(twoProblems.code, 2);
    const lines = twoProblems.stderr.trimEnd().split("\n");
    t.ok(lines.includes("shoal: The property Payload is required and is missing from the request."), twoProblems.stderr);
    t.ok(lines.includes("shoal: No resource of type Machine named 'ghost' exists. (at /Machines/1)"), twoProblems.stderr);
    t.match(twoProblems.stderr, /Expected: a PatchProfile payload such as/, "the missing payload's expected shape is shown");
  });
});
