/**
 * GET job reads the job in place and answers JSON text built from its
 * definition rendered once per revision: the same answer as the other routes'
 * objects, runs showing at once, changes re-rendering it, and no copy of the
 * job per GET.
 */
import t from "tap";
import { call, registerMachines, startGateway } from "../helpers/http.js";
import { countJobCopies } from "../../helpers/job-copies.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";

t.test("GET job: runs show in the next GET under the same ETag; PATCH, pause and resume change body and ETag; no job is copied", async (t) => {
  const g = await startGateway({ defineActions: (s) => s.defineAction("Act", { run: async (ctx) => ({ message: ctx.target }) }) });
  t.teardown(() => g.close());
  const machines = Array.from({ length: 20 }, (_, i) => `m-${i}`);
  await registerMachines(g.url, machines);
  const created = await call(g.url, "POST", JOBS, { body: { Action: "Act", Machines: machines, Schedule: { Type: "Manual" } } });
  t.equal(created.status, 201);
  const path = `${JOBS}/${String(created.json["Id"])}`;

  const copies = countJobCopies(g.scheduler);

  const first = await call(g.url, "GET", path);
  t.equal(first.status, 200);
  t.equal(first.headers["content-type"], created.headers["content-type"], "the same JSON content type as an object body");
  t.equal(first.headers["content-type"], "application/json; charset=utf-8");
  t.equal(first.headers["etag"], created.headers["etag"]);
  t.equal(first.headers["odata-version"], "4.0", "the standard headers are still there");
  t.equal(Number(first.headers["content-length"]), Buffer.byteLength(first.text));
  t.same(first.json, created.json, "what POST answered, as an object");
  const second = await call(g.url, "GET", path);
  t.equal(second.text, first.text);
  t.equal(copies.count, 0, "no GET copied the job");
  t.ok(g.logLines.some((line) => line.includes('"request"') && line.includes(path) && line.includes('"status":200')), "the request log saw the answer");

  const head = await call(g.url, "HEAD", path);
  t.equal(head.status, 200);
  t.equal(head.text, "");
  t.equal(head.headers["etag"], first.headers["etag"]);

  const triggered = await call(g.url, "POST", `${path}/Actions/Trigger`, { body: {} });
  await g.scheduler.waitForExecution(String(triggered.json["Id"]));
  const afterRun = await call(g.url, "GET", path);
  t.equal(afterRun.headers["etag"], first.headers["etag"], "a run leaves the ETag");
  t.equal(afterRun.json["@odata.etag"], first.headers["etag"]);
  t.match(afterRun.json, { ExecutionCount: 1, LastRun: { Id: triggered.json["Id"], State: "Completed" }, Status: "Manual" });
  t.type(afterRun.json["LastRunTime"], "string");

  const patched = await call(g.url, "PATCH", path, { body: { Name: "renamed" } });
  const afterPatch = await call(g.url, "GET", path);
  t.not(afterPatch.headers["etag"], afterRun.headers["etag"], "a PATCH changes the ETag");
  t.equal(afterPatch.headers["etag"], patched.headers["etag"]);
  t.same(afterPatch.json, patched.json, "GET answers what the PATCH did");
  t.equal(afterPatch.json["Name"], "renamed");

  await g.scheduler.pauseJob(String(created.json["Id"]));
  const paused = await call(g.url, "GET", path);
  t.not(paused.headers["etag"], afterPatch.headers["etag"], "a pause changes the ETag");
  t.match(paused.json, { Enabled: false, Status: "Paused", "@odata.etag": paused.headers["etag"] });
  await g.scheduler.resumeJob(String(created.json["Id"]));
  const resumed = await call(g.url, "GET", path);
  t.not(resumed.headers["etag"], paused.headers["etag"], "a resume changes the ETag");
  t.match(resumed.json, { Enabled: true, Status: "Manual", "@odata.etag": resumed.headers["etag"] });

  copies.reset();
  for (let i = 0; i < 3; i++) await call(g.url, "GET", path);
  t.equal(copies.count, 0, "no GET copied the job");

  const missing = await call(g.url, "GET", `${JOBS}/Job-nope`);
  t.equal(missing.status, 404);
  t.equal(missing.headers["etag"], undefined);
});
