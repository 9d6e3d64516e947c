/** A job's Rollout over 50 simulated BMCs: halt on the failure budget, Resume. */
import t from "tap";
import { call } from "../helpers/http.js";
import { executionMachines, JOBS, startFleetGateway } from "../helpers/fleet-gateway.js";

t.test("50 machines, Canary 2, BatchSize 10, MaxFailurePercent 10: a failing second batch halts the run, batches 3-5 are never contacted, Resume finishes them", async (t) => {
  const fg = await startFleetGateway(50, { workerPoolSize: 20 });
  t.teardown(() => fg.close());
  await fg.registerAll();
  const ids = fg.fleet.bmcs.map((b) => b.id);
  const jobId = await fg.createJob({
    Action: "PatchProfile",
    Machines: ids,
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    Schedule: { Type: "Manual" },
    Rollout: { Canary: 2, BatchSize: 10, MaxFailurePercent: 10 },
  });
  const job = await call(fg.g.url, "GET", `${JOBS}/${jobId}`);
  t.same(job.json.Rollout, { Canary: 2, BatchSize: 10, MaxFailurePercent: 10, PauseSeconds: 0, OnHalt: "Stop" });
  const secondBatch = fg.fleet.bmcs.slice(12, 22);
  for (const bmc of secondBatch) await bmc.setFault({ kind: "status", status: 400, methods: ["PATCH"] });
  for (const bmc of fg.fleet.bmcs) bmc.resetStats();

  const started = await fg.trigger(jobId);
  const execId = started.json.Id as string;
  const halted = await fg.waitForEnd(jobId, execId);
  t.equal(halted.State, "Halted");
  t.match(halted.Rollout, { Batch: 2, Batches: 5, Halted: true, Reason: /^FailureBudgetExceeded: 10 of 22/ });
  t.same(fg.fleet.bmcs.slice(22).filter((b) => b.stats.requests > 0).map((b) => b.id), [], "batches 3 to 5 never contacted");
  const skipped = executionMachines(halted).filter((m) => m.Status === "Skipped");
  t.equal(skipped.length, 28);
  t.ok(skipped.every((m) => m.Reason === "RolloutHalted"));

  for (const bmc of secondBatch) await bmc.setFault(null);
  const resumed = await call(fg.g.url, "POST", `${JOBS}/${jobId}/Executions/${execId}/Actions/Resume`, { body: {} });
  t.equal(resumed.status, 202, resumed.text);
  const done = await fg.waitForEnd(jobId, execId);
  t.equal(done.State, "Completed");
  t.match(done.Rollout, { Batch: 5, Batches: 5, Halted: false });
  t.equal(fg.fleet.bmcs.slice(22).filter((b) => b.state.managers.bmc!.fan!.profile === "PowerSaver").length, 28, "batches 3 to 5 done");
  t.equal(secondBatch.filter((b) => b.stats.patchesApplied > 0).length, 0, "the failed batch is not retried by Resume");
});

t.test("two jobs over overlapping machines never have two requests in flight on one BMC", async (t) => {
  const fg = await startFleetGateway(6, { workerPoolSize: 20 });
  t.teardown(() => fg.close());
  await fg.registerAll();
  for (const bmc of fg.fleet.bmcs) bmc.setLatency(15);
  const a = await fg.createJob({ Action: "PatchProfile", Machines: ["sim-1", "sim-2", "sim-3", "sim-4"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }], Schedule: { Type: "Manual" } });
  const b = await fg.createJob({
    Action: "PatchFanZone",
    Machines: ["sim-3", "sim-4", "sim-5", "sim-6"],
    Payload: [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 70 } }],
    Schedule: { Type: "Manual" },
  });
  const [ea, eb] = await Promise.all([fg.trigger(a), fg.trigger(b)]);
  const [da, db] = await Promise.all([fg.waitForEnd(a, ea.json.Id as string), fg.waitForEnd(b, eb.json.Id as string)]);
  t.equal(da.State, "Completed");
  t.equal(db.State, "Completed");
  t.equal(fg.fleet.totals().maxInFlightRequests, 1, "one request at a time on every BMC");
  t.equal(fg.fleet.byId("sim-3")!.stats.patchesApplied, 2, "both jobs reached the shared machines");
});
