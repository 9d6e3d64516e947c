import { join } from "node:path";
import t from "tap";
import { call } from "../gateway/helpers/http.js";
import { startMain } from "../gateway/helpers/main-process.js";
import { tempDir } from "../helpers/temp-dir.js";
import { postgresUnavailable, testPostgres } from "../helpers/postgres.js";
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
    const jobId = job.json.Id as string;
    const triggered = await call(first.url, "POST", `/MultiFish/v1/JobService/Jobs/${jobId}/Actions/Trigger`, { body: {} });
    t.equal(triggered.status, 202);
    const executionPath = `/MultiFish/v1/JobService/Jobs/${jobId}/Executions/${String(triggered.json.Id)}`;
    let state = "";
    for (let i = 0; i < 600 && !["Completed", "Failed"].includes(state); i++) {
      state = String((await call(first.url, "GET", executionPath)).json.State);
      if (state === "Running" || state === "Pending") await new Promise((r) => setTimeout(r, 50));
    }
    t.equal(state, "Completed");
    // kill -9: every acknowledged write must already be in the database.
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await startMain(env);
    t.teardown(() => {
      if (second.child.exitCode === null) second.child.kill("SIGKILL");
    });
    const run = await call(second.url, "GET", executionPath);
    t.match(run.json, { State: "Completed", Health: "OK", Summary: { Machines: 2, Succeeded: 2 } });
    const platform = await call(second.url, "GET", "/MultiFish/v1/Platform");
    t.equal(platform.json["Members@odata.count"], 2);
    t.match((await call(second.url, "GET", `/MultiFish/v1/JobService/Jobs/${jobId}`)).json, { Name: "on postgres" });
    second.child.kill("SIGTERM");
    t.equal(await second.exited, 0);
    const { existsSync } = await import("node:fs");
    t.notOk(existsSync(join(dir, "data", "shoal.json")), "no state file in DATA_DIR");
  });
}
