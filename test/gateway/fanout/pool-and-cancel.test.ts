import t from "tap";
import { call } from "../helpers/http.js";
import { JOBS, startFleetGateway, type FleetGateway } from "../helpers/fleet-gateway.js";

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
  const f = await startFleetGateway(24, { workerPoolSize: 4, fleet: { latencyMs: 40 } });
  t.teardown(() => f.close());
  await f.registerAll();
  const watch = watchPatches(f);
  const jobId = await f.createJob(profileJob(f.fleet.bmcs.map((b) => b.id)));
  const triggered = await f.trigger(jobId);
  const execution = await f.waitForEnd(jobId, triggered.json.Id as string);
  watch.stop();
  t.match(execution, { State: "Completed", Health: "OK" });
  t.ok(watch.max() <= 4, `at most 4 in flight (saw ${watch.max()})`);
  t.ok(watch.max() >= 2, `the pool was actually used in parallel (saw ${watch.max()})`);
});

t.test("resizing the pool over PATCH /JobService takes effect during a run", async (t) => {
  const f = await startFleetGateway(40, { workerPoolSize: 2, fleet: { latencyMs: 60 } });
  t.teardown(() => f.close());
  await f.registerAll();
  const watch = watchPatches(f);
  const jobId = await f.createJob(profileJob(f.fleet.bmcs.map((b) => b.id)));
  const triggered = await f.trigger(jobId);
  await new Promise((r) => setTimeout(r, 400));
  const before = watch.max();
  t.ok(before <= 2, `pool 2 before the resize (saw ${before})`);

  const resized = await call(f.g.url, "PATCH", "/MultiFish/v1/JobService", { body: { ServiceCapabilities: { WorkerPoolSize: 16 } } });
  t.equal(resized.status, 200);
  watch.reset();
  const execution = await f.waitForEnd(jobId, triggered.json.Id as string);
  watch.stop();
  t.match(execution, { State: "Completed", Health: "OK" });
  t.ok(watch.max() > 2, `more than 2 in flight after the resize (saw ${watch.max()})`);
  t.ok(watch.max() <= 16, `never more than the new size (saw ${watch.max()})`);
  const service = await call(f.g.url, "GET", "/MultiFish/v1/JobService");
  t.match(service.json, { ServiceCapabilities: { WorkerPoolSize: 16 } });
  t.equal(f.fleet.totals().patchesApplied, 40, "no task lost or repeated");
});

t.test("cancelling a run stuck on hung BMCs ends it within a second and lets go of their sockets", async (t) => {
  const f = await startFleetGateway(10, { workerPoolSize: 10 });
  t.teardown(() => f.close());
  await f.registerAll({ HTTPClientTimeout: 60 });
  for (const b of f.fleet.bmcs) await b.setFault({ kind: "hang" });
  const jobId = await f.createJob(profileJob(f.fleet.bmcs.map((b) => b.id)));
  const triggered = await f.trigger(jobId);
  const executionId = triggered.json.Id as string;
  for (let i = 0; i < 200 && f.fleet.totals().hanging < 10; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(f.fleet.totals().hanging, 10, "every BMC is holding a request");

  const started = Date.now();
  const cancelled = await call(f.g.url, "POST", `${JOBS}/${jobId}/Executions/${executionId}/Actions/Cancel`, { body: {} });
  t.ok(cancelled.status >= 200 && cancelled.status < 300, `cancel accepted (${cancelled.status})`);
  const execution = await f.waitForEnd(jobId, executionId, 5000);
  t.equal(execution.State, "Cancelled");
  t.ok(Date.now() - started < 1000, `ended in ${Date.now() - started} ms`);
  for (let i = 0; i < 100 && f.fleet.totals().hanging > 0; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(f.fleet.totals().hanging, 0, "the hung requests' sockets were closed");
});
