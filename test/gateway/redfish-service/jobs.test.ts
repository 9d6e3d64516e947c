import t from "tap";
import { startFleetGateway, JOBS } from "../helpers/fleet-gateway.js";
import { call } from "../helpers/http.js";

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
