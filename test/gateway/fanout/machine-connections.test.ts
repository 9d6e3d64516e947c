import t from "tap";
import { call } from "../helpers/http.js";
import { startFleetGateway } from "../helpers/fleet-gateway.js";
import { until } from "../../helpers/until.js";

t.test("removing a machine lets go of its BMC connections", async (t) => {
  const f = await startFleetGateway(1);
  t.teardown(() => f.close());
  await f.registerAll();
  const bmc = f.fleet.bmcs[0]!;
  const jobId = await f.createJob({
    Name: "touch it",
    Machines: [bmc.id],
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
    Schedule: { Type: "Manual" },
  });
  const triggered = await f.trigger(jobId);
  await f.waitForEnd(jobId, triggered.json.Id as string);
  t.ok(bmc.stats.openConnections > 0, "a keep-alive connection stays open after the run");

  const refused = await call(f.g.url, "DELETE", `/MultiFish/v1/Platform/${bmc.id}`);
  t.equal(refused.status, 409, "a machine a job targets is not removed without force");
  const removed = await call(f.g.url, "DELETE", `/MultiFish/v1/Platform/${bmc.id}?force=true`);
  t.equal(removed.status, 200);
  await until(() => bmc.stats.openConnections === 0, { what: "its connections to close" });
  t.pass("its connections were closed");
});

t.test("a machine registered with AuthMethod Session is patched through one Redfish session", async (t) => {
  const f = await startFleetGateway(2);
  t.teardown(() => f.close());
  await f.registerAll({ AuthMethod: "Session" });
  const shown = await call(f.g.url, "GET", `/MultiFish/v1/Platform/${f.fleet.bmcs[0]!.id}`);
  t.match(shown.json, { AuthMethod: "Session", Password: null });
  const jobId = await f.createJob({
    Name: "over sessions",
    Machines: f.fleet.bmcs.map((b) => b.id),
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    Schedule: { Type: "Manual" },
  });
  for (let run = 0; run < 2; run++) {
    const triggered = await f.trigger(jobId);
    t.match(await f.waitForEnd(jobId, triggered.json.Id as string), { State: "Completed", Health: "OK" });
  }
  for (const bmc of f.fleet.bmcs) t.equal(bmc.stats.sessionsCreated, 1, `${bmc.id}: one session for both runs`);
  const bad = await call(f.g.url, "PATCH", `/MultiFish/v1/Platform/${f.fleet.bmcs[0]!.id}`, { body: { AuthMethod: "Digest", Password: "sim-password" } });
  t.equal(bad.status, 400);
  t.same(bad.json.error && (bad.json.error as { "@Message.ExtendedInfo": { RelatedProperties: string[] }[] })["@Message.ExtendedInfo"][0]!.RelatedProperties, ["#/AuthMethod"]);
});

t.test("a machine's Type cannot change under a job that runs an action the new Type cannot do", async (t) => {
  const f = await startFleetGateway(2);
  t.teardown(() => f.close());
  await f.registerAll();
  const [fanMachine, other] = f.fleet.bmcs.map((b) => b.id) as [string, string];
  const jobId = await f.createJob({
    Name: "fan profile",
    Machines: [fanMachine],
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
    Schedule: { Type: "Manual" },
  });
  const refused = await call(f.g.url, "PATCH", `/MultiFish/v1/Platform/${fanMachine}`, { body: { Type: "Base" } });
  t.equal(refused.status, 409);
  t.match(refused.text, /ResourceInUse/);
  t.match(refused.text, new RegExp(jobId));
  t.match((await call(f.g.url, "GET", `/MultiFish/v1/Platform/${fanMachine}`)).json, { Type: "Extend" }, "nothing changed");
  t.equal((await call(f.g.url, "PATCH", `/MultiFish/v1/Platform/${fanMachine}`, { body: { Name: "renamed" } })).status, 200, "other changes still go through");
  t.equal((await call(f.g.url, "PATCH", `/MultiFish/v1/Platform/${other}`, { body: { Type: "Base" } })).status, 200, "a machine no job uses can change Type");
  t.equal((await call(f.g.url, "DELETE", `/MultiFish/v1/JobService/Jobs/${jobId}`)).status, 200);
  t.equal((await call(f.g.url, "PATCH", `/MultiFish/v1/Platform/${fanMachine}`, { body: { Type: "Base" } })).status, 200, "and so can this one once the job is gone");
});
