import { join } from "node:path";
import t from "tap";
import { FileStore } from "../../../src/store/file-store.js";
import { RedfishClient } from "../../../gateway/bmc/client.js";
import { registerBmcActions } from "../../../gateway/bmc/register.js";
import { MachineRegistry } from "../../../gateway/platform/registry.js";
import { ResultWriter } from "../../../gateway/results/result-writer.js";
import { startSimulatedBmcs } from "../../sim/fleet.js";
import { fullDisk } from "../../helpers/full-disk.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { call, messageIds, startGateway } from "../helpers/http.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";

t.test("a full disk under DATA_DIR: each refused write answers 507 InsufficientStorage with nothing applied; a Trigger touches no BMC; writes resume by themselves", async (t) => {
  const disk = fullDisk();
  const dir = tempDir("shoal-507-");
  const store = new FileStore({ path: join(dir, "data", "shoal.json"), journalAppend: disk.append });
  const registry = new MachineRegistry(store);
  const client = new RedfishClient();
  const fleet = await startSimulatedBmcs(2);
  const g = await startGateway({
    store,
    registry,
    client,
    defineActions: (scheduler) => registerBmcActions(scheduler, { registry, client, results: new ResultWriter({ dir: join(dir, "logs") }) }),
  });
  t.teardown(async () => {
    disk.full = false;
    await g.close();
    await client.close();
    await fleet.close();
  });
  const [a, b] = fleet.machines();
  const machine = (m: NonNullable<typeof a>) => ({ Id: m.id, Type: m.type, Endpoint: m.endpoint, Username: m.username, Password: m.password });
  t.equal((await call(g.url, "POST", "/MultiFish/v1/Platform", { body: machine(a!) })).status, 201);
  const created = await call(g.url, "POST", JOBS, {
    body: { Name: "profile", Machines: [a!.id], Action: "PatchProfile", Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } },
  });
  t.equal(created.status, 201);
  const jobId = created.json.Id as string;

  disk.full = true;
  const register = await call(g.url, "POST", "/MultiFish/v1/Platform", { body: machine(b!) });
  t.equal(register.status, 507);
  t.same(messageIds(register), ["Base.1.22.InsufficientStorage"]);
  t.equal((await call(g.url, "GET", `/MultiFish/v1/Platform/${b!.id}`)).status, 404, "the machine was not half-registered");

  const job = await call(g.url, "POST", JOBS, {
    body: { Name: "second", Machines: [a!.id], Action: "PatchProfile", Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } },
  });
  t.equal(job.status, 507);
  t.equal((await call(g.url, "GET", JOBS)).json["Members@odata.count"], 1, "no job was half-created");

  const patched = await call(g.url, "PATCH", `${JOBS}/${jobId}`, { body: { Name: "renamed" } });
  t.equal(patched.status, 507);
  t.equal((await call(g.url, "GET", `${JOBS}/${jobId}`)).json.Name, "profile", "the job keeps its name");

  const patchesBefore = fleet.bmcs[0]!.stats.byMethod.PATCH ?? 0;
  const triggered = await call(g.url, "POST", `${JOBS}/${jobId}/Actions/Trigger`, { body: {} });
  t.equal(triggered.status, 507);
  t.same(messageIds(triggered), ["Base.1.22.InsufficientStorage"]);
  t.equal((await call(g.url, "GET", `${JOBS}/${jobId}/Executions`)).json["Members@odata.count"], 0, "no run exists");
  t.equal(fleet.bmcs[0]!.stats.byMethod.PATCH ?? 0, patchesBefore, "no PATCH reached the BMC");

  disk.full = false;
  const again = await call(g.url, "POST", `${JOBS}/${jobId}/Actions/Trigger`, { body: {} });
  t.equal(again.status, 202, "space is back: the same request succeeds without a restart");
  t.equal((await call(g.url, "POST", "/MultiFish/v1/Platform", { body: machine(b!) })).status, 201);
});
