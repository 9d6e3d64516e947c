import t from "tap";
import { call, messageIds, redfishError, related, startGateway } from "../helpers/http.js";

const SERVICE = "/MultiFish/v1/JobService";

t.test("JobService over real HTTP", async (t) => {
  const g = await startGateway({ defineActions: (s) => s.defineAction("Echo", { run: async () => ({ message: "ok" }) }) });
  t.teardown(() => g.close());

  t.test("GET shows the pool and the job counts under ServiceCapabilities, with an ETag", async (t) => {
    const reply = await call(g.url, "GET", SERVICE);
    t.equal(reply.status, 200);
    t.match(reply.headers["etag"], /^W\/"/);
    t.match(reply.json, {
      "@odata.type": "#JobService.v1_0_0.JobService",
      "@odata.id": SERVICE,
      "@odata.etag": reply.headers["etag"],
      Id: "JobService",
      Name: "Job Service",
      ServiceCapabilities: { WorkerPoolSize: 5, ActiveWorkers: 0, AvailableWorkers: 5, QueuedTasks: 0, TotalJobs: 0, RunningJobs: 0 },
      Jobs: { "@odata.id": `${SERVICE}/Jobs` },
      Actions: { "#JobService.PreviewSchedule": { target: `${SERVICE}/Actions/JobService.PreviewSchedule` } },
    });
    await g.scheduler.createJob({ name: "one", schedule: { type: "Manual" }, steps: [{ action: "Echo", targets: ["m"] }] });
    t.match((await call(g.url, "GET", SERVICE)).json, { ServiceCapabilities: { TotalJobs: 1 } });
  });

  t.test("PATCH resizes the pool, in Redfish's shape and in the top-level one MultiFish's README sends", async (t) => {
    const nested = await call(g.url, "PATCH", SERVICE, { body: { ServiceCapabilities: { WorkerPoolSize: 12 } } });
    t.equal(nested.status, 200);
    t.match(nested.json, { ServiceCapabilities: { WorkerPoolSize: 12, AvailableWorkers: 12 } });
    t.equal(g.scheduler.pool.size, 12);
    const flat = await call(g.url, "PATCH", SERVICE, { body: { WorkerPoolSize: 10000 } });
    t.equal(flat.status, 200);
    t.equal(g.scheduler.pool.size, 10000);
    const one = await call(g.url, "PATCH", SERVICE, { body: { WorkerPoolSize: 1 } });
    t.match(one.json, { ServiceCapabilities: { WorkerPoolSize: 1 } });
    t.not(one.headers["etag"], flat.headers["etag"], "a new size is a new version");
    const nothing = await call(g.url, "PATCH", SERVICE, { body: {} });
    t.equal(nothing.status, 200);
    t.equal(g.scheduler.pool.size, 1);
  });

  t.test("bad sizes and read-only properties are 400 at their pointer and change nothing", async (t) => {
    await call(g.url, "PATCH", SERVICE, { body: { WorkerPoolSize: 7 } });
    const cases: [Record<string, unknown>, string[], string[]][] = [
      [{ ServiceCapabilities: { WorkerPoolSize: 0 } }, ["PropertyValueOutOfRange"], ["#/ServiceCapabilities/WorkerPoolSize"]],
      [{ WorkerPoolSize: 10001 }, ["PropertyValueOutOfRange"], ["#/WorkerPoolSize"]],
      [{ WorkerPoolSize: 2.5 }, ["PropertyValueTypeError"], ["#/WorkerPoolSize"]],
      [{ WorkerPoolSize: "8" }, ["PropertyValueTypeError"], ["#/WorkerPoolSize"]],
      [{ WorkerPoolSize: 1e308 }, ["PropertyValueOutOfRange"], ["#/WorkerPoolSize"]],
      [{ ServiceCapabilities: { WorkerPoolSize: 3 }, WorkerPoolSize: 4 }, ["PropertyValueConflict"], ["#/WorkerPoolSize", "#/ServiceCapabilities/WorkerPoolSize"]],
      [{ ServiceCapabilities: { ActiveWorkers: 3 } }, ["PropertyNotWritable"], ["#/ServiceCapabilities/ActiveWorkers"]],
      [{ Id: "Other" }, ["PropertyNotWritable"], ["#/Id"]],
      [{ MaxJobs: 3 }, ["PropertyUnknown"], ["#/MaxJobs"]],
    ];
    for (const [body, ids, pointers] of cases) {
      const reply = await call(g.url, "PATCH", SERVICE, { body });
      t.equal(reply.status, 400, JSON.stringify(body));
      t.same(messageIds(reply), ids.map((id) => `Base.1.22.${id}`), JSON.stringify(body));
      t.same(related(reply), pointers, JSON.stringify(body));
    }
    t.equal(g.scheduler.pool.size, 7);
  });

  t.test("If-Match: the current tag passes, a stale one is 412 and changes nothing", async (t) => {
    const current = await call(g.url, "GET", SERVICE);
    const ok = await call(g.url, "PATCH", SERVICE, { body: { WorkerPoolSize: 9 }, headers: { "if-match": current.headers["etag"] ?? "" } });
    t.equal(ok.status, 200);
    const stale = await call(g.url, "PATCH", SERVICE, { body: { WorkerPoolSize: 3 }, headers: { "if-match": current.headers["etag"] ?? "" } });
    t.equal(stale.status, 412);
    t.equal(redfishError(stale).code, "Base.1.22.PreconditionFailed");
    t.equal(g.scheduler.pool.size, 9);
  });

  t.test("methods the service does not take are 405", async (t) => {
    const reply = await call(g.url, "DELETE", SERVICE);
    t.equal(reply.status, 405);
    t.match(reply.headers["allow"], /PATCH/);
  });
});
