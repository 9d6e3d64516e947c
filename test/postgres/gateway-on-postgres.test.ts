import { join } from "node:path";
import t from "tap";
import { call } from "../gateway/helpers/http.js";
import { startMain } from "../gateway/helpers/main-process.js";
import { tempDir } from "../helpers/temp-dir.js";
import { postgresUnavailable, testPostgres } from "../helpers/postgres.js";
import { until } from "../helpers/until.js";
import { PgStore } from "../../src/postgres/index.js";
import { startSimulatedBmcs } from "../sim/fleet.js";

const unavailable = postgresUnavailable();
if (unavailable !== null) {
  t.plan(0, unavailable);
} else {
  t.test("with DATABASE_URL the gateway keeps machines, jobs and runs in PostgreSQL: a restart finds them, and no state file is written", async (t) => {
    const pg = await testPostgres();
    const dir = tempDir("shoal-pg-main-");
    const env = { DATABASE_URL: pg.url, DATA_DIR: join(dir, "data"), LOGS_DIR: join(dir, "logs"), LOG_LEVEL: "info" };
    const fleet = await startSimulatedBmcs(2);
    t.teardown(() => fleet.close());

    const first = await startMain(env);
    t.teardown(() => {
      if (first.child.exitCode === null) first.child.kill("SIGKILL");
    });
    t.match(first.output(), /"database":"postgres:\/\/shoal@127\.0\.0\.1:\d+\/shoal_test_/, "the start-up line says where the state is");
    for (const bmc of fleet.bmcs) {
      const m = bmc.machine();
      const created = await call(first.url, "POST", "/MultiFish/v1/Platform", {
        body: { Id: m.id, Type: "Extend", Endpoint: m.endpoint, Username: m.username, Password: m.password },
      });
      t.equal(created.status, 201);
    }
    const machines = fleet.bmcs.map((b) => b.machine().id);
    const job = await call(first.url, "POST", "/MultiFish/v1/JobService/Jobs", {
      body: { Name: "on postgres", Machines: machines, Action: "PatchProfile", Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }], Schedule: { Type: "Manual" } },
    });
    t.equal(job.status, 201);
    const jobId = job.json.Id as string;
    // kill -9: what was acknowledged (the 201s) must already be in the database.
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await startMain(env);
    t.teardown(() => {
      if (second.child.exitCode === null) second.child.kill("SIGKILL");
    });
    const platform = await call(second.url, "GET", "/MultiFish/v1/Platform");
    t.equal(platform.json["Members@odata.count"], 2, "both machines came back");
    t.match((await call(second.url, "GET", `/MultiFish/v1/JobService/Jobs/${jobId}`)).json, { Name: "on postgres" }, "the job came back");
    const triggered = await call(second.url, "POST", `/MultiFish/v1/JobService/Jobs/${jobId}/Actions/Trigger`, { body: {} });
    t.equal(triggered.status, 202);
    const executionId = String(triggered.json.Id);
    const executionPath = `/MultiFish/v1/JobService/Jobs/${jobId}/Executions/${executionId}`;
    await until(async () => ["Completed", "Failed"].includes(String((await call(second.url, "GET", executionPath)).json.State)), { what: "the run to end" });
    second.child.kill("SIGTERM");
    t.equal(await second.exited, 0);

    // What the gateway left in the database, read as the next instance would.
    const stored = new PgStore({ connectionString: pg.url });
    await stored.open();
    t.teardown(() => stored.close());
    t.match(stored.getExecution(executionId), { state: "Completed", health: "OK" }, "the run is stored as it ended");
    t.same(stored.listRecords<{ id: string }>("machine").map((m) => m.id).sort(), [...machines].sort());
    const { existsSync } = await import("node:fs");
    t.notOk(existsSync(join(dir, "data", "shoal.json")), "no state file in DATA_DIR");
  });
}
