/**
 * A job's Status reads the scheduler's live state and its history: Running
 * while a run is going, then the outcome of the newest run that actually ran,
 * whatever Skipped runs came after it.
 */
import t from "tap";
import { ManualClock } from "../../../src/scheduler/clock.js";
import type { Execution } from "../../../src/executions/types.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { until } from "../../helpers/until.js";
import { call, registerMachines, startGateway } from "../helpers/http.js";

t.test("Status: Running during a scheduled run; a Skipped run after it does not hide its outcome", async (t) => {
  const clock = new ManualClock(new Date("2026-02-10T12:00:30Z"));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const g = await startGateway({
    schedulerClock: clock,
    defineActions: (s) => s.defineAction("Hold", { run: async () => (await held, { message: "done" }) }),
  });
  t.teardown(async () => {
    release();
    await g.close();
  });
  await registerMachines(g.url, ["m-1"]);
  const created = await call(g.url, "POST", "/MultiFish/v1/JobService/Jobs", {
    body: { Action: "Hold", Machines: ["m-1"], Schedule: { Type: "Cron", Cron: "* * * * *" } },
  });
  const path = `/MultiFish/v1/JobService/Jobs/${created.json["Id"]}`;
  t.match(created.json, { Status: "Scheduled", NextRunTime: "2026-02-10T12:01:00Z", LastRun: null });

  await clock.advanceTo(new Date("2026-02-10T12:01:00Z"));
  t.match((await call(g.url, "GET", path)).json, { Status: "Running", NextRunTime: "2026-02-10T12:02:00Z", ExecutionCount: 1 });

  await clock.advanceTo(new Date("2026-02-10T12:02:00Z"));
  const history = g.scheduler.listExecutions({ jobId: String(created.json["Id"]) }).items.map((e) => e.state);
  t.same(history, ["Skipped", "Running"], "the second due run was skipped under overlap Skip");

  release();
  const running = g.scheduler.listExecutions({ jobId: String(created.json["Id"]), state: "Running" }).items[0];
  await g.scheduler.waitForExecution(running?.id ?? "");
  t.match((await call(g.url, "GET", path)).json, {
    Status: "Scheduled",
    LastRunTime: "2026-02-10T12:01:00Z",
    LastRun: { Id: running?.id, State: "Completed", Health: "OK" },
  });
  const executions = await call(g.url, "GET", `${path}/Executions`);
  t.equal(executions.json["Members@odata.count"], 2);
  const skipped = await call(g.url, "GET", String((executions.json["Members"] as { "@odata.id": string }[])[0]?.["@odata.id"]));
  t.match(skipped.json, { State: "Skipped", Reason: "Overlap", Trigger: "Schedule" });
});

t.test("a job whose run reads Completed is no longer Running, even while that run's last save is on its way", async (t) => {
  let openSave!: () => void;
  const saveHeld = new Promise<void>((resolve) => (openSave = resolve));
  let finalSavesWaiting = 0;
  class HeldFinalSave extends MemoryStore {
    override async saveExecution(execution: Execution): Promise<void> {
      if (execution.state === "Completed") {
        finalSavesWaiting++;
        await saveHeld;
      }
      return super.saveExecution(execution);
    }
  }
  const g = await startGateway({
    store: new HeldFinalSave(),
    defineActions: (s) => s.defineAction("Quick", { run: async () => ({ message: "done" }) }),
  });
  t.teardown(async () => {
    openSave();
    await g.close();
  });
  await registerMachines(g.url, ["m-1"]);
  const created = await call(g.url, "POST", "/MultiFish/v1/JobService/Jobs", {
    body: { Action: "Quick", Machines: ["m-1"], Schedule: { Type: "Manual" } },
  });
  const path = `/MultiFish/v1/JobService/Jobs/${created.json["Id"]}`;
  const triggered = await call(g.url, "POST", `${path}/Actions/Trigger`);
  const execution = String(triggered.headers["location"] ?? triggered.json["@odata.id"]);
  await until(async () => (await call(g.url, "GET", execution)).json["State"] === "Completed", { what: "the run to read Completed" });
  t.equal(finalSavesWaiting, 1, "its final save is still held");
  t.not((await call(g.url, "GET", path)).json["Status"], "Running", "the job's Status agrees with its run");
  t.match((await call(g.url, "GET", "/MultiFish/v1/JobService")).json, { ServiceCapabilities: { RunningJobs: 0 } }, "the JobService counts no running job");
});
