import t from "tap";
import { startFleetGateway, JOBS } from "../helpers/fleet-gateway.js";
import { call, registerMachines, startGateway } from "../helpers/http.js";
import { countJobCopies } from "../../helpers/job-copies.js";

t.test("the same jobs as DMTF Jobs under /redfish/v1/JobService", async (t) => {
  const f = await startFleetGateway(2);
  t.teardown(() => f.close());
  await f.registerAll();
  const id = await f.createJob({
    Name: "Nightly PowerSaver",
    Machines: ["sim-1", "sim-2"],
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    Schedule: { Type: "Continuous", Time: "22:00:00", Period: { DaysOfWeek: ["Monday", "Friday"], DaysOfMonth: "1,15" } },
  });

  t.test("the JobService and its collection list the job", async (t) => {
    const service = await call(f.g.url, "GET", "/redfish/v1/JobService");
    t.match(service.json, { "@odata.type": /^#JobService\.v1_1_\d+\.JobService$/, ServiceCapabilities: { Scheduling: true }, Jobs: { "@odata.id": "/redfish/v1/JobService/Jobs" } });
    const jobs = await call(f.g.url, "GET", "/redfish/v1/JobService/Jobs");
    t.same(jobs.json.Members, [{ "@odata.id": `/redfish/v1/JobService/Jobs/${id}` }]);
  });

  t.test("a job in DMTF's words: JobState, Schedule, Steps; the rest under Oem.Shoal", async (t) => {
    const job = await call(f.g.url, "GET", `/redfish/v1/JobService/Jobs/${id}`);
    t.equal(job.status, 200);
    t.ok(job.headers.etag);
    t.match(job.json, {
      "@odata.type": /^#Job\.v1_3_\d+\.Job$/,
      Id: id,
      Name: "Nightly PowerSaver",
      JobState: "Pending",
      JobStatus: "OK",
      Schedule: { RecurrenceInterval: "P1D", EnabledDaysOfWeek: ["Monday", "Friday"], EnabledDaysOfMonth: [1, 15], InitialStartTime: /^\d{4}-\d\d-\d\dT22:00:00Z$/ },
      Steps: { "@odata.id": `/redfish/v1/JobService/Jobs/${id}/Steps` },
      Oem: { Shoal: { Action: "PatchProfile", Machines: ["sim-1", "sim-2"], ScheduleType: "Continuous", MultiFishJob: `${JOBS}/${id}` } },
    });
    const step = await call(f.g.url, "GET", `/redfish/v1/JobService/Jobs/${id}/Steps/1`);
    t.match(step.json, { "@odata.id": `/redfish/v1/JobService/Jobs/${id}/Steps/1`, JobState: "New", Oem: { Shoal: { Action: "PatchProfile" } } });
    t.equal((await call(f.g.url, "GET", `/redfish/v1/JobService/Jobs/${id}/Steps/2`)).status, 404);
  });

  t.test("after a run: StartTime, EndTime, PercentComplete and the step's state", async (t) => {
    const trigger = await f.trigger(id);
    await f.waitForEnd(id, trigger.json.Id as string);
    const job = await call(f.g.url, "GET", `/redfish/v1/JobService/Jobs/${id}`);
    t.match(job.json, { PercentComplete: 100, StartTime: /Z$/, EndTime: /Z$/, JobStatus: "OK" });
    const step = await call(f.g.url, "GET", `/redfish/v1/JobService/Jobs/${id}/Steps/1`);
    t.match(step.json, { JobState: "Completed", PercentComplete: 100 });
  });

  t.test("DELETE removes the job from both APIs", async (t) => {
    t.equal((await call(f.g.url, "DELETE", `/redfish/v1/JobService/Jobs/${id}`)).status, 204);
    t.equal((await call(f.g.url, "GET", `${JOBS}/${id}`)).status, 404);
  });
});

t.test("an action of an aggregated system is sent to the BMC's own target", async (t) => {
  const f = await startFleetGateway(1);
  t.teardown(() => f.close());
  await f.registerAll();
  const system = await call(f.g.url, "GET", "/redfish/v1/Systems/sim-1_system");
  const target = (system.json.Actions as Record<string, { target: string }>)["#ComputerSystem.Reset"]!.target;
  t.equal(target, "/redfish/v1/Systems/sim-1_system/Actions/ComputerSystem.Reset", "the target is prefixed like the links");
  t.equal((await call(f.g.url, "POST", target, { body: { ResetType: "ForceOff" } })).status, 204);
  t.equal(f.fleet.byId("sim-1")!.state.powerState, "Off");
});

t.test("a DMTF job body creates a Shoal job that both APIs show", async (t) => {
  const f = await startFleetGateway(2);
  t.teardown(() => f.close());
  await f.registerAll();
  const JOBS_RF = "/redfish/v1/JobService/Jobs";

  t.test("a Payload without Schedule runs at once on the aggregated manager", async (t) => {
    const created = await call(f.g.url, "POST", JOBS_RF, {
      body: { Name: "Quiet fans", Payload: { TargetUri: "/redfish/v1/Managers/sim-1_bmc", HttpOperation: "PATCH", JsonBody: '{"Oem":{"OpenBmc":{"Fan":{"Profile":"PowerSaver"}}}}' } },
    });
    t.equal(created.status, 201, created.text);
    const id = created.json.Id as string;
    t.equal(created.headers.location, `${JOBS_RF}/${id}`);
    const executions = await call(f.g.url, "GET", `${JOBS}/${id}/Executions`);
    const executionId = (executions.json.Members as { "@odata.id": string }[])[0]!["@odata.id"].split("/").pop()!;
    const done = await f.waitForEnd(id, executionId);
    t.equal(done.State, "Completed");
    t.equal(f.fleet.byId("sim-1")!.state.managers.bmc!.fan?.profile, "PowerSaver");
    const multiFish = await call(f.g.url, "GET", `${JOBS}/${id}`);
    t.match(multiFish.json, { Name: "Quiet fans", Action: "PatchProfile", Machines: ["sim-1"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }] });
  });

  t.test("several payloads under Oem.Shoal with a daily Schedule make a scheduled job of one step each", async (t) => {
    const created = await call(f.g.url, "POST", JOBS_RF, {
      body: {
        Name: "Nightly",
        Schedule: { InitialStartTime: "2030-01-01T22:00:00Z", RecurrenceInterval: "P1D", EnabledDaysOfWeek: ["Monday"] },
        Oem: {
          Shoal: {
            Payloads: [
              { TargetUri: "/redfish/v1/Managers/sim-1_bmc", JsonBody: '{"ServiceIdentification":"rack 1"}' },
              { TargetUri: "/redfish/v1/Managers/sim-2_bmc", JsonBody: '{"Oem":{"OpenBmc":{"Fan":{"Profile":"Balanced"}}}}' },
            ],
          },
        },
      },
    });
    t.equal(created.status, 201, created.text);
    t.match(created.json, { JobState: "Pending", Schedule: { RecurrenceInterval: "P1D", EnabledDaysOfWeek: ["Monday"], InitialStartTime: "2030-01-07T22:00:00Z" } }, "the first Monday from 2030-01-01");
    const multiFish = await call(f.g.url, "GET", `${JOBS}/${created.json.Id as string}`);
    t.match(multiFish.json, { Schedule: { Type: "Continuous", Time: "22:00:00", TimeZone: "UTC" }, Steps: [{ Action: "PatchManager", Machines: ["sim-1"] }, { Action: "PatchProfile", Machines: ["sim-2"] }] });
  });

  t.test("a target that is no aggregated manager, or a JsonBody that is not an object, is a 400 pointing at it; no job is made", async (t) => {
    const before = (await call(f.g.url, "GET", JOBS_RF)).json["Members@odata.count"];
    const unknown = await call(f.g.url, "POST", JOBS_RF, { body: { Payload: { TargetUri: "/redfish/v1/Managers/nosuch_bmc", JsonBody: '{"ServiceIdentification":"x"}' } } });
    t.equal(unknown.status, 400);
    t.match(unknown.text, /#\/Payload\/TargetUri/);
    const notJson = await call(f.g.url, "POST", JOBS_RF, { body: { Payload: { TargetUri: "/redfish/v1/Managers/sim-1_bmc", JsonBody: "[1]" } } });
    t.equal(notJson.status, 400);
    t.match(notJson.text, /#\/Payload\/JsonBody/);
    const badProperty = await call(f.g.url, "POST", JOBS_RF, { body: { Payload: { TargetUri: "/redfish/v1/Managers/sim-1_bmc", JsonBody: '{"Nonsense":1}' } } });
    t.equal(badProperty.status, 400);
    t.match(badProperty.text, /#\/Payload\/JsonBody/);
    t.equal((await call(f.g.url, "GET", JOBS_RF)).json["Members@odata.count"], before);
  });
});

t.test("the DMTF Jobs routes read jobs in place: listing, a job and its steps copy none", async (t) => {
  const g = await startGateway({ defineActions: (s) => s.defineAction("Act", { run: async () => undefined }) });
  t.teardown(() => g.close());
  const machines = Array.from({ length: 20 }, (_, i) => `m-${i}`);
  await registerMachines(g.url, machines);
  const created = await call(g.url, "POST", JOBS, { body: { Name: "wide", Action: "Act", Machines: machines, Schedule: { Type: "Manual" } } });
  t.equal(created.status, 201);
  const id = String(created.json["Id"]);

  const copies = countJobCopies(g.scheduler);

  const list = await call(g.url, "GET", "/redfish/v1/JobService/Jobs");
  t.same(list.json.Members, [{ "@odata.id": `/redfish/v1/JobService/Jobs/${id}` }]);
  const job = await call(g.url, "GET", `/redfish/v1/JobService/Jobs/${id}`);
  t.match(job.json, { Id: id, Name: "wide", Oem: { Shoal: { Machines: machines } } });
  t.ok(job.headers.etag);
  const steps = await call(g.url, "GET", `/redfish/v1/JobService/Jobs/${id}/Steps`);
  t.same(steps.json.Members, [{ "@odata.id": `/redfish/v1/JobService/Jobs/${id}/Steps/1` }]);
  t.equal((await call(g.url, "GET", `/redfish/v1/JobService/Jobs/${id}/Steps/1`)).status, 200);
  t.equal((await call(g.url, "GET", "/redfish/v1/JobService/Jobs/Job-none")).status, 404, "an unknown job is still a 404");
  t.equal(copies.count, 0, "no job was copied");
});
