import t from "tap";
import { startFleetGateway } from "../gateway/helpers/fleet-gateway.js";
import { json, shoal } from "./e2e-helpers.js";

t.test("jobs plan prints a per-machine diff; executions revert --wait sets the values back", async (t) => {
  const fg = await startFleetGateway(2);
  t.teardown(() => fg.close());
  await fg.registerAll();
  const env = { SHOAL_URL: fg.g.url };
  fg.fleet.bmcs[1]!.state.managers.bmc!.fan!.profile = "PowerSaver";
  const jobId = await fg.createJob({ Action: "PatchProfile", Machines: ["sim-1", "sim-2"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }], Schedule: { Type: "Manual" } });

  const plan = await shoal(["jobs", "plan", jobId], { env });
  t.equal(plan.code, 0, plan.stderr);
  t.match(plan.stdout, /^sim-1  Change\n    Oem\/OpenBmc\/Fan\/Profile: Performance -> PowerSaver \(manager bmc\)\nsim-2  NoChange\n/);
  t.match(plan.stdout, /Change 1, NoChange 1, Refused 0, Unreachable 0\n$/);
  const one = json<{ Members: { MachineId: string }[] }>(await shoal(["jobs", "plan", jobId, "--machine", "sim-2", "--json"], { env }));
  t.same(one.Members.map((m) => m.MachineId), ["sim-2"]);
  t.equal(fg.fleet.totals().patchesApplied, 0, "planning sent nothing");

  const run = await fg.trigger(jobId);
  await fg.waitForEnd(jobId, run.json.Id as string);
  t.equal(fg.fleet.bmcs[0]!.state.managers.bmc!.fan!.profile, "PowerSaver");
  const revert = await shoal(["executions", "revert", jobId, run.json.Id as string, "--wait"], { env });
  t.equal(revert.code, 0, revert.stderr);
  t.match(revert.stdout, /^Revert of Exec-\S+: execution Exec-\S+ of job \S+: Completed, health OK: 1 machine, 1 ok, 0 failed/);
  t.equal(fg.fleet.bmcs[0]!.state.managers.bmc!.fan!.profile, "Performance", "set back");
  t.equal(fg.fleet.bmcs[1]!.state.managers.bmc!.fan!.profile, "PowerSaver", "the machine the run did not change is not touched");
});
