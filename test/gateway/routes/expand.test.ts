import t from "tap";
import { call } from "../helpers/http.js";
import { JOBS, startFleetGateway } from "../helpers/fleet-gateway.js";

t.test("$expand returns a collection's members inline, page by page", async (t) => {
  const f = await startFleetGateway(2);
  t.teardown(() => f.close());
  await f.registerAll();
  const ids = f.fleet.bmcs.map((b) => b.id);
  const jobIds: string[] = [];
  for (const name of ["a", "b", "c"]) {
    jobIds.push(
      await f.createJob({ Name: name, Machines: ids, Action: "PatchProfile", Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } }),
    );
  }

  const plain = await call(f.g.url, "GET", `${JOBS}?$top=2`);
  t.same(Object.keys((plain.json.Members as object[])[0]!), ["@odata.id"], "without $expand: links only");

  const first = await call(f.g.url, "GET", `${JOBS}?$top=2&$expand=.`);
  t.equal(first.status, 200);
  const members = first.json.Members as Record<string, unknown>[];
  t.same(members.map((m) => m.Name), ["a", "b"]);
  t.match(members[0], { "@odata.type": "#Job.v1_0_0.Job", Id: jobIds[0], Action: "PatchProfile", Status: "Manual", ScheduleDescription: "Only when triggered" });
  t.equal(first.json["Members@odata.count"], 3);
  t.match(first.json["Members@odata.nextLink"], /\$skip=2&\$top=2&\$expand=\./, "the next page keeps expanding");
  const second = await call(f.g.url, "GET", first.json["Members@odata.nextLink"] as string);
  t.same((second.json.Members as Record<string, unknown>[]).map((m) => m.Name), ["c"]);
  const single = await call(f.g.url, "GET", `${JOBS}/${jobIds[0]}`);
  t.same(members[0], single.json, "an expanded member is the resource itself");

  const machines = await call(f.g.url, "GET", "/MultiFish/v1/Platform?$expand=*");
  t.same((machines.json.Members as Record<string, unknown>[]).map((m) => [m.Id, m.Password]), ids.map((id) => [id, null]), "passwords stay write-only");

  const triggered = await f.trigger(jobIds[0]!);
  await f.waitForEnd(jobIds[0]!, triggered.json.Id as string);
  const executions = await call(f.g.url, "GET", `${JOBS}/${jobIds[0]}/Executions?$expand=.`);
  t.match((executions.json.Members as Record<string, unknown>[])[0], { Id: triggered.json.Id, State: "Completed", Summary: { Machines: 2, Succeeded: 2 } });
});
