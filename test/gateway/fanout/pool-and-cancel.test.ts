import t from "tap";
import { call } from "../helpers/http.js";
import { JOBS, executionMachines, startFleetGateway, type FleetGateway } from "../helpers/fleet-gateway.js";
import { until } from "../../helpers/until.js";

/** Samples the number of PATCHes in flight across the whole fleet until stopped. */
function watchPatches(f: FleetGateway): { max(): number; reset(): void; stop(): void } {
  let max = 0;
  const timer = setInterval(() => {
    max = Math.max(max, f.fleet.totals().inFlightPatches);
  }, 1);
  return { max: () => max, reset: () => (max = 0), stop: () => clearInterval(timer) };
}

const profileJob = (ids: string[]) => ({
  Name: "profile",
  Machines: ids,
  Action: "PatchProfile",
  Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
  Schedule: { Type: "Manual" },
});

t.test("with a pool of 4 the BMCs never see more than 4 PATCHes at once", async (t) => {
  const f = await startFleetGateway(24, { workerPoolSize: 4 });
  t.teardown(() => f.close());
  await f.registerAll();
  const watch = watchPatches(f);
  const release = f.fleet.holdPatches();
  const jobId = await f.createJob(profileJob(f.fleet.bmcs.map((b) => b.id)));
  const triggered = await f.trigger(jobId);
  // With every PATCH held, the pool fills up and can go no further.
  await until(() => f.fleet.totals().inFlightPatches === 4, { what: "4 PATCHes in flight" });
  release();
  const execution = await f.waitForEnd(jobId, triggered.json.Id as string);
  watch.stop();
  t.match(execution, { State: "Completed", Health: "OK" });
  t.ok(watch.max() <= 4, `at most 4 in flight (saw ${watch.max()})`);
  t.equal(f.fleet.totals().patchesApplied, 24);
});

t.test("resizing the pool over PATCH /JobService takes effect during a run", async (t) => {
  const f = await startFleetGateway(40, { workerPoolSize: 2 });
  t.teardown(() => f.close());
  await f.registerAll();
  const release = f.fleet.holdPatches();
  const jobId = await f.createJob(profileJob(f.fleet.bmcs.map((b) => b.id)));
  const triggered = await f.trigger(jobId);
  await until(() => f.fleet.totals().inFlightPatches === 2, { what: "2 PATCHes in flight" });
  t.equal(f.fleet.totals().patchesApplied, 0, "nothing finished before the resize");

  const watch = watchPatches(f);
  const resized = await call(f.g.url, "PATCH", "/MultiFish/v1/JobService", { body: { ServiceCapabilities: { WorkerPoolSize: 16 } } });
  t.equal(resized.status, 200);
  await until(() => f.fleet.totals().inFlightPatches === 16, { what: "16 PATCHes in flight after the resize" });
  release();
  const execution = await f.waitForEnd(jobId, triggered.json.Id as string);
  watch.stop();
  t.match(execution, { State: "Completed", Health: "OK" });
  t.ok(watch.max() <= 16, `never more than the new size (saw ${watch.max()})`);
  const service = await call(f.g.url, "GET", "/MultiFish/v1/JobService");
  t.match(service.json, { ServiceCapabilities: { WorkerPoolSize: 16 } });
  t.equal(f.fleet.totals().patchesApplied, 40, "no task lost or repeated");
});

t.test("cancelling a run stuck on hung BMCs ends it long before their timeout and lets go of their sockets", async (t) => {
  const f = await startFleetGateway(10, { workerPoolSize: 10 });
  t.teardown(() => f.close());
  // A timeout that cannot be what ends the run: only the cancellation can.
  await f.registerAll({ HTTPClientTimeout: 600 });
  for (const b of f.fleet.bmcs) await b.setFault({ kind: "hang" });
  const jobId = await f.createJob(profileJob(f.fleet.bmcs.map((b) => b.id)));
  const triggered = await f.trigger(jobId);
  const executionId = triggered.json.Id as string;
  await until(() => f.fleet.totals().hanging === 10, { what: "every BMC to hold a request" });

  const cancelled = await call(f.g.url, "POST", `${JOBS}/${jobId}/Executions/${executionId}/Actions/Cancel`, { body: {} });
  t.ok(cancelled.status >= 200 && cancelled.status < 300, `cancel accepted (${cancelled.status})`);
  const execution = await f.waitForEnd(jobId, executionId);
  t.equal(execution.State, "Cancelled");
  t.notOk(executionMachines(execution).some((m) => m.ErrorType === "Timeout"), "no machine timed out");
  await until(() => f.fleet.totals().hanging === 0, { what: "the hung requests' sockets to close" });
  t.pass("the hung requests' sockets were closed");
});
