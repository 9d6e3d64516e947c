import t from "tap";
import { call } from "../helpers/http.js";
import { startFleetGateway } from "../helpers/fleet-gateway.js";

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
  for (let i = 0; i < 100 && bmc.stats.openConnections > 0; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(bmc.stats.openConnections, 0, "its connections were closed");
});
