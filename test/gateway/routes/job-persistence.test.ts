/**
 * Jobs and machines created over HTTP are in the state file: a new gateway,
 * scheduler and FileStore on the same file serve them back unchanged.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import t from "tap";
import { ManualClock } from "../../../src/scheduler/clock.js";
import type { Scheduler } from "../../../src/scheduler/scheduler.js";
import { FileStore } from "../../../src/store/file-store.js";
import { call, registerMachines, startGateway } from "../helpers/http.js";
import { tempDir } from "../../helpers/temp-dir.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";
const NOW = new Date("2026-02-10T12:00:00Z");

const actions = (s: Scheduler): void => {
  s.defineAction("PatchProfile", { run: async () => ({ message: "ok" }) });
  s.defineAction("Echo", { run: async (ctx) => ({ message: `echo ${ctx.target}` }) });
};

t.test("a job created over HTTP survives closing the gateway and re-creating it on the same state file", async (t) => {
  const dir = tempDir("shoal-jobs-");
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "shoal.json");
  const open = () => {
    const clock = new ManualClock(NOW);
    return startGateway({ store: new FileStore({ path, now: () => clock.now() }), schedulerClock: clock, defineActions: actions });
  };

  const first = await open();
  await registerMachines(first.url, ["node-a", "node-b"]);
  const paused = await call(first.url, "POST", JOBS, {
    body: {
      Name: "paused twice-monthly",
      Machines: ["node-a", "node-b"],
      Action: "PatchProfile",
      Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
      Schedule: { Type: "Continuous", Time: "03:30:00", Period: { StartDay: "2026-03-01", DaysOfWeek: [], DaysOfMonth: "1,15" } },
      Enabled: false,
    },
  });
  t.equal(paused.status, 201);
  const manual = await call(first.url, "POST", JOBS, { body: { Action: "Echo", Machines: ["node-b"], Schedule: { Type: "Manual" }, Policy: { Overlap: "Queue" } } });
  const renamed = await call(first.url, "PATCH", `${JOBS}/${manual.json["Id"]}`, { body: { Name: "renamed before restart" } });
  const run = await call(first.url, "POST", `${JOBS}/${manual.json["Id"]}/Actions/Trigger`);
  await first.scheduler.waitForExecution(String(run.json["Id"]));
  const executionBefore = await call(first.url, "GET", String(run.headers["location"]));
  t.match(executionBefore.json, { State: "Completed", Steps: [{ Machines: [{ MachineId: "node-b", Status: "Success", Message: "echo node-b" }] }] });
  const pausedBefore = await call(first.url, "GET", `${JOBS}/${paused.json["Id"]}`);
  const manualBefore = await call(first.url, "GET", `${JOBS}/${manual.json["Id"]}`);
  await first.close();

  const second = await open();
  t.teardown(() => second.close());
  const pausedAfter = await call(second.url, "GET", `${JOBS}/${paused.json["Id"]}`);
  t.equal(pausedAfter.status, 200);
  t.same(pausedAfter.json, pausedBefore.json, "the paused job is back as it was");
  t.match(pausedAfter.json, { Enabled: false, Status: "Paused", Machines: ["node-a", "node-b"], Schedule: { Period: { DaysOfMonth: "1,15" } } });
  t.equal(pausedAfter.headers["etag"], pausedBefore.headers["etag"], "and so is its ETag");
  const manualAfter = await call(second.url, "GET", `${JOBS}/${manual.json["Id"]}`);
  t.same(manualAfter.json, manualBefore.json);
  t.match(manualAfter.json, { Name: "renamed before restart", Enabled: true, Machines: ["node-b"], ExecutionCount: 1, Policy: { Overlap: "Queue" } });
  t.equal(renamed.json["Name"], "renamed before restart");
  const executionAfter = await call(second.url, "GET", String(run.headers["location"]));
  t.equal(executionAfter.status, 200);
  t.same(executionAfter.json, executionBefore.json, "the execution history is back too");
  const machine = await call(second.url, "GET", "/MultiFish/v1/Platform/node-a");
  t.equal(machine.status, 200);
  t.equal(machine.json["Password"], null);
  t.equal(second.gateway.registry.get("node-a")?.password, "s3cret-bmc-password", "the password was kept for the BMC client");
  t.equal((await call(second.url, "DELETE", "/MultiFish/v1/Platform/node-a")).status, 409, "the reloaded jobs still protect their machines");
});
