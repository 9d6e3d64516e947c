import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { EventHub } from "../../../gateway/events/event-hub.js";
import { RunLog, type RunLogEntry } from "../../../gateway/events/run-log.js";
import { silentLogger } from "../../../src/scheduler/logger.js";
import { Scheduler } from "../../../src/scheduler/scheduler.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { startFleetGateway, JOBS } from "../helpers/fleet-gateway.js";
import { call } from "../helpers/http.js";
import { messageIs, openSse } from "./sse-client.js";

function lines(text: string): RunLogEntry[] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as RunLogEntry);
}

t.test("a run's Log says per machine which requests were made (method, path, status, time), each retry and why, and the error or result; paged; live on the stream", async (t) => {
  const f = await startFleetGateway(3);
  t.teardown(() => f.close());
  await f.registerAll();
  const [ok, flaky, broken] = f.fleet.machines().map((m) => m.id) as [string, string, string];
  await f.fleet.bmcs[1]!.setFault({ kind: "status", status: 503, times: 2, methods: ["PATCH"] });
  await f.fleet.bmcs[2]!.setFault({ kind: "status", status: 400, methods: ["PATCH"] });
  const jobId = await f.createJob({
    Name: "profile",
    Machines: [ok, flaky, broken],
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
    Schedule: { Type: "Manual" },
    Policy: { Retry: { MaxAttempts: 3, InitialDelaySeconds: 0.01 } },
  });
  const live = await openSse(f.g.url, `/redfish/v1/EventService/SSE?$filter=${encodeURIComponent("MessageId eq 'Shoal.MachineLog'")}`);
  const plain = await openSse(f.g.url, "/redfish/v1/EventService/SSE");
  t.teardown(() => {
    live.close();
    plain.close();
  });
  const executionId = String((await f.trigger(jobId)).json.Id);
  await f.waitForEnd(jobId, executionId);
  const logPath = `${JOBS}/${jobId}/Executions/${executionId}/Log`;

  const all = await call(f.g.url, "GET", logPath);
  t.equal(all.status, 200);
  t.match(all.headers["content-type"], /application\/x-ndjson/);
  const entries = lines(all.text);
  t.equal(all.headers["x-total-count"], String(entries.length));

  const of = (m: string) => entries.filter((e) => e.machine === m).map((e) => [e.kind, e.attempt, e.method ?? e.errorType ?? e.message, e.status ?? null]);
  t.match(of(ok), [["request", 1, "GET", 200], ["request", 1, "PATCH", /^20/], ["request", 1, "GET", 200], ["result", 1, String, null]]);
  const flakyLines = entries.filter((e) => e.machine === flaky);
  t.same(
    flakyLines.filter((e) => e.kind === "request" && e.method === "PATCH").map((e) => [e.attempt, e.status]),
    [[1, 503], [2, 503], [3, 204]],
    "every attempt's PATCH",
  );
  t.match(flakyLines.filter((e) => e.kind === "retry"), [
    { attempt: 1, errorType: "HttpError", message: /503/, retryInMs: Number },
    { attempt: 2, errorType: "HttpError" },
  ]);
  t.equal(flakyLines[flakyLines.length - 1]!.kind, "result");
  t.match(entries.filter((e) => e.machine === broken).pop(), { kind: "error", attempt: 1, errorType: "HttpError", message: /400/ });
  for (const e of entries.filter((x) => x.kind === "request")) {
    t.match(e, { path: /^\/redfish\/v1\//, durationMs: Number, time: /^\d{4}-/ });
  }

  const page = await call(f.g.url, "GET", `${logPath}?$top=2`);
  t.same(lines(page.text), entries.slice(0, 2));
  t.equal(page.headers.link, `<${logPath}?$skip=2&$top=2>; rel="next"`);
  const last = await call(f.g.url, "GET", `${logPath}?$skip=${entries.length - 1}`);
  t.same(lines(last.text), entries.slice(-1));
  t.equal(last.headers.link, undefined);
  t.equal((await call(f.g.url, "GET", `${JOBS}/${jobId}/Executions/nope/Log`)).status, 404);

  await live.waitFor((e) => live.events.length >= entries.length && messageIs("MachineLog")(e));
  t.equal(live.events.filter(messageIs("MachineLog")).length, entries.length, "every line went to the stream that asked");
  t.match(live.events[0]!.record, { Oem: { Shoal: { ExecutionId: executionId, Log: { machine: String, kind: String } } } });
  await plain.waitFor(messageIs("TaskCompletedWarning"));
  t.equal(plain.events.filter(messageIs("MachineLog")).length, 0, "and to no other");
});

t.test("with a directory, a run's log is written as JSON lines and read back by a later process", async (t) => {
  const dir = tempDir("shoal-runlog-");
  const scheduler = new Scheduler({ timeZone: "UTC" });
  scheduler.defineAction("work", {
    async run(ctx) {
      if (ctx.target === "bad") throw Object.assign(new Error("refused"), { type: "HttpError", detail: { requests: [{ method: "PATCH", uri: "/redfish/v1/x", status: 400, duration_ms: 3 }] } });
      return { message: "done", requests: [{ method: "PATCH", uri: "/redfish/v1/x", status: 204, duration_ms: 2 }] };
    },
  });
  await scheduler.start();
  t.teardown(() => scheduler.stop());
  const first = new RunLog({ scheduler, hub: new EventHub(), liveWanted: () => false, log: silentLogger, dir });
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["good", "bad"] }] });
  const run = await scheduler.trigger(job.id);
  await scheduler.waitForExecution(run.id);
  await first.flush();
  first.close();
  const written = await first.read(run.id);
  t.equal(written.length, 4);

  const later = new RunLog({ scheduler: new Scheduler({ timeZone: "UTC" }), hub: new EventHub(), liveWanted: () => false, log: silentLogger, dir });
  t.same(await later.read(run.id), written);
  t.same(await later.read("Exec-unknown"), []);
  t.same(await later.read("../../etc/passwd"), [], "ids are not paths");
});

t.test("a run's log file goes once its run is no longer kept (retention dropped it, or its job was deleted); other files stay", async (t) => {
  const dir = tempDir("shoal-runlog-");
  const scheduler = new Scheduler({ timeZone: "UTC", retention: { maxPerJob: 2 } });
  scheduler.defineAction("work", { run: async () => ({ message: "done", requests: [{ method: "PATCH", uri: "/redfish/v1/x", status: 204, duration_ms: 1 }] }) });
  await scheduler.start();
  t.teardown(() => scheduler.stop());
  const runLog = new RunLog({ scheduler, hub: new EventHub(), liveWanted: () => false, log: silentLogger, dir, keepRuns: 1, sweepEveryMs: 0 });
  t.teardown(() => runLog.close());
  const kept = await scheduler.createJob({ name: "kept", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["m1"] }] });
  const gone = await scheduler.createJob({ name: "gone", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["m2"] }] });
  const runOnce = async (jobId: string) => {
    const run = await scheduler.trigger(jobId);
    await scheduler.waitForExecution(run.id);
    await runLog.flush();
    return run.id;
  };
  const [first, second, third] = [await runOnce(kept.id), await runOnce(kept.id), await runOnce(kept.id)];
  const ofDeletedJob = await runOnce(gone.id);
  await scheduler.deleteJob(gone.id);
  writeFileSync(join(dir, "notes.txt"), "an operator's file\n");
  t.equal(scheduler.hasExecution(first), false, "retention dropped the first run");
  t.equal(scheduler.hasExecution(second), true);

  const fourth = await runOnce(kept.id);
  t.equal(scheduler.hasExecution(second), false, "the fourth run (counted from its start) made retention drop the second");
  const files = readdirSync(dir).sort();
  t.same(files, [`${third}.jsonl`, `${fourth}.jsonl`, "notes.txt"].sort(), "the dropped runs' and the deleted job's logs are gone");
  t.notOk(files.includes(`${first}.jsonl`));
  t.notOk(files.includes(`${ofDeletedJob}.jsonl`));
  t.equal((await runLog.read(third)).length, 2, "a kept run's log reads as before");
});
