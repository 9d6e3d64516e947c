/** POST .../Executions/{eid}/Actions/Revert over HTTP against simulated BMCs. */
import t from "tap";
import { call } from "../helpers/http.js";
import { executionMachines, JOBS, startFleetGateway } from "../helpers/fleet-gateway.js";

t.test("revert restores the exact values a run replaced, and leaves a machine changed since alone (Conflict)", async (t) => {
  const fg = await startFleetGateway(3);
  t.teardown(() => fg.close());
  await fg.registerAll();
  const zone = (i: number) => fg.fleet.bmcs[i]!.state.managers.bmc!.fan!.FanZones.zone_cpu!;
  fg.fleet.bmcs.forEach((_, i) => (zone(i).FailSafePercent = 90 + i));
  const jobId = await fg.createJob({
    Action: "PatchFanZone",
    Machines: ["sim-1", "sim-2", "sim-3"],
    Payload: [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 60 } }],
    Schedule: { Type: "Manual" },
  });
  const run = await fg.trigger(jobId);
  const runId = run.json.Id as string;
  t.equal((await fg.waitForEnd(jobId, runId)).State, "Completed");
  t.same([0, 1, 2].map((i) => zone(i).FailSafePercent), [60, 60, 60]);
  zone(2).FailSafePercent = 75; // an operator changed sim-3 since
  fg.fleet.bmcs[2]!.resetStats();

  const reply = await call(fg.g.url, "POST", `${JOBS}/${jobId}/Executions/${runId}/Actions/Revert`, { body: {} });
  t.equal(reply.status, 202, reply.text);
  t.match(reply.json, { Trigger: "Revert", RevertOf: runId });
  const revert = await fg.waitForEnd(jobId, reply.json.Id as string);
  t.same([0, 1, 2].map((i) => zone(i).FailSafePercent), [90, 91, 75], "exact values back; the changed machine left alone");
  const machines = new Map(executionMachines(revert).map((m) => [m.MachineId, m]));
  t.match(machines.get("sim-1"), { Status: "Success", Changed: true });
  t.match(machines.get("sim-3"), { Status: "Error", ErrorType: "Conflict", Message: /FailSafePercent is 75, the run left 60/ });
  t.equal(fg.fleet.bmcs[2]!.stats.byMethod.PATCH, undefined, "nothing sent to sim-3");
  t.ok(fg.resultFiles().some((f) => f.includes("sim-3") && f.endsWith("_error.json")), "a result file as usual");

  const stale = await call(fg.g.url, "POST", `${JOBS}/${jobId}/Executions/${runId}/Actions/Revert`, { body: {}, headers: { "If-Match": '"nope"' } });
  t.equal(stale.status, 412);
});
