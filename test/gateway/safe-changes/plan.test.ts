/** POST .../Jobs/{id}/Actions/Plan and no-op skips, over HTTP against simulated BMCs. */
import t from "tap";
import { call } from "../helpers/http.js";
import { executionMachines, JOBS, startFleetGateway } from "../helpers/fleet-gateway.js";

const PROFILE = "Oem/OpenBmc/Fan/Profile";

t.test("a plan reads every machine, sends no PATCH and reports each outcome kind", async (t) => {
  const fg = await startFleetGateway(4);
  t.teardown(() => fg.close());
  await fg.registerAll();
  const [same, change, refused, down] = fg.fleet.bmcs;
  same!.state.managers.bmc!.fan!.profile = "PowerSaver";
  refused!.state.managers.bmc!.fan!.allowableProfiles = ["Performance"];
  const jobId = await fg.createJob({ Action: "PatchProfile", Machines: fg.fleet.bmcs.map((b) => b.id), Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }], Schedule: { Type: "Manual" } });
  await down!.setFault({ kind: "refuse" });

  const reply = await call(fg.g.url, "POST", `${JOBS}/${jobId}/Actions/Plan`, { body: {} });
  t.equal(reply.status, 200, reply.text);
  t.same(reply.json.Counts, { Change: 1, NoChange: 1, Refused: 1, Unreachable: 1 });
  const byMachine = new Map((reply.json.Members as Record<string, unknown>[]).map((m) => [m.MachineId, m]));
  t.match(byMachine.get(change!.id), { Outcome: "Change", Changes: [{ ManagerID: "bmc", Property: PROFILE, Current: "Performance", Desired: "PowerSaver" }] });
  t.match(byMachine.get(same!.id), { Outcome: "NoChange", Changes: [] });
  t.match(byMachine.get(refused!.id), { Outcome: "Refused", Message: /not allowed/ });
  t.match(byMachine.get(down!.id), { Outcome: "Unreachable" });
  for (const bmc of fg.fleet.bmcs) t.equal(bmc.stats.byMethod.PATCH, undefined, `no PATCH to ${bmc.id}`);
  t.equal(fg.fleet.totals().patchesApplied, 0);

  const planUri = reply.headers.location!;
  const page = await call(fg.g.url, "GET", `${planUri}?$top=1&$skip=1`);
  t.equal(page.status, 200);
  t.equal((page.json.Members as unknown[]).length, 1, "a kept plan pages");
  t.equal(page.json["Members@odata.count"], 4);
  t.match(page.json["Members@odata.nextLink"], /\$skip=2&\$top=1$/);
});

t.test("a plan of some machines only, and one naming a machine outside the job", async (t) => {
  const fg = await startFleetGateway(2);
  t.teardown(() => fg.close());
  await fg.registerAll();
  const jobId = await fg.createJob({ Action: "PatchProfile", Machines: ["sim-1", "sim-2"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } });
  const some = await call(fg.g.url, "POST", `${JOBS}/${jobId}/Actions/Plan`, { body: { Machines: ["sim-2"] } });
  t.equal(some.status, 200);
  t.same((some.json.Members as Record<string, unknown>[]).map((m) => m.MachineId), ["sim-2"]);
  t.equal(fg.fleet.bmcs[0]!.stats.requests, 0, "sim-1 was not read");
  const foreign = await call(fg.g.url, "POST", `${JOBS}/${jobId}/Actions/Plan`, { body: { Machines: ["sim-9"] } });
  t.equal(foreign.status, 400);
  t.match(foreign.text, /#\/Machines\/0/);
});

t.test("a run skips a machine already as desired: no PATCH, Changed false, Before/After in the execution and result file", async (t) => {
  const fg = await startFleetGateway(2);
  t.teardown(() => fg.close());
  await fg.registerAll();
  const [same, other] = fg.fleet.bmcs;
  same!.state.managers.bmc!.fan!.profile = "Balanced";
  const jobId = await fg.createJob({ Action: "PatchProfile", Machines: ["sim-1", "sim-2"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } });
  const started = await fg.trigger(jobId);
  const done = await fg.waitForEnd(jobId, started.json.Id as string);
  t.equal(done.State, "Completed");
  t.equal(same!.stats.byMethod.PATCH, undefined, "no PATCH to the machine already as desired");
  t.equal(other!.stats.patchesApplied, 1);
  const machines = new Map(executionMachines(done).map((m) => [m.MachineId, m]));
  t.match(machines.get("sim-1"), { Status: "Success", Changed: false, Before: { bmc: { [PROFILE]: "Balanced" } }, After: { bmc: { [PROFILE]: "Balanced" } } });
  t.match(machines.get("sim-2"), { Status: "Success", Changed: true, Before: { bmc: { [PROFILE]: "Performance" } }, After: { bmc: { [PROFILE]: "Balanced" } } });
  const file = fg.readResult(machines.get("sim-2")!.ResultFile as string);
  t.match(file, { changed: true, before: { bmc: { [PROFILE]: "Performance" } }, after: { bmc: { [PROFILE]: "Balanced" } } });
});

t.test("creating a job that duplicates an enabled job's action, machines and schedule answers 201 with a warning", async (t) => {
  const fg = await startFleetGateway(2);
  t.teardown(() => fg.close());
  await fg.registerAll();
  const body = { Action: "PatchProfile", Machines: ["sim-1", "sim-2"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Cron", Cron: "0 22 * * *" } };
  const first = await call(fg.g.url, "POST", JOBS, { body });
  t.equal(first.status, 201);
  t.equal(first.json["@Message.ExtendedInfo"], undefined, "no warning for the first");
  const second = await call(fg.g.url, "POST", JOBS, { body: { ...body, Machines: ["sim-2", "sim-1"] } });
  t.equal(second.status, 201);
  t.match(second.json["@Message.ExtendedInfo"], [{ MessageSeverity: "Warning", Message: new RegExp(`enabled job '${String(first.json.Id)}'`) }]);
  const other = await call(fg.g.url, "POST", JOBS, { body: { ...body, Schedule: { Type: "Cron", Cron: "0 23 * * *" } } });
  const infos = (other.json["@Message.ExtendedInfo"] ?? []) as { Message: string }[];
  t.notOk(infos.some((i) => i.Message.includes("same action")), "another schedule is not a duplicate (a same-name warning may remain)");
});
