import { join } from "node:path";
import t from "tap";
import { startSimulatedBmcs } from "../sim/fleet.js";
import { call } from "./helpers/http.js";
import { startMain } from "./helpers/main-process.js";
import { tempDir } from "../helpers/temp-dir.js";
import { until } from "../helpers/until.js";

t.test("SIGTERM lets a run go on for SHUTDOWN_TIMEOUT, then cancels it, saves it and exits 0; a restart finds it", async (t) => {
  const dir = tempDir("shoal-main-");
  const env = { DATA_DIR: join(dir, "data"), LOGS_DIR: join(dir, "logs"), SHUTDOWN_TIMEOUT: "1", LOG_LEVEL: "warn" };
  const fleet = await startSimulatedBmcs(1);
  t.teardown(() => fleet.close());
  const bmc = fleet.bmcs[0]!;
  await bmc.setFault({ kind: "hang", methods: ["PATCH"] });

  const first = await startMain(env);
  t.teardown(() => {
    if (first.child.exitCode === null) first.child.kill("SIGKILL");
  });
  const m = bmc.machine();
  const registered = await call(first.url, "POST", "/MultiFish/v1/Platform", {
    body: { Id: m.id, Type: "Extend", Endpoint: m.endpoint, Username: m.username, Password: m.password, HTTPClientTimeout: 60 },
  });
  t.equal(registered.status, 201);
  const job = await call(first.url, "POST", "/MultiFish/v1/JobService/Jobs", {
    body: { Name: "stuck", Machines: [m.id], Action: "PatchProfile", Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } },
  });
  const jobId = job.json.Id as string;
  const triggered = await call(first.url, "POST", `/MultiFish/v1/JobService/Jobs/${jobId}/Actions/Trigger`, { body: {} });
  const executionId = triggered.json.Id as string;
  await until(() => bmc.stats.hanging > 0, { what: "the PATCH to be in flight" });
  t.equal(bmc.stats.hanging, 1, "the PATCH is in flight");

  first.child.kill("SIGTERM");
  t.equal(await first.exited, 0, "exit code 0");
  t.notMatch(first.output(), /sim-password/, "the BMC password is never logged");

  const second = await startMain(env);
  t.teardown(() => {
    if (second.child.exitCode === null) second.child.kill("SIGKILL");
  });
  const execution = await call(second.url, "GET", `/MultiFish/v1/JobService/Jobs/${jobId}/Executions/${executionId}`);
  t.match(execution.json, { State: "Cancelled", Reason: "SchedulerStopped" });
  const machine = await call(second.url, "GET", `/MultiFish/v1/Platform/${m.id}`);
  t.match(machine.json, { Id: m.id, Password: null }, "the machine is still registered");
  second.child.kill("SIGTERM");
  t.equal(await second.exited, 0);
});
