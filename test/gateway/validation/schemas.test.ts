import t from "tap";
import { RedfishError, type Problem } from "../../../gateway/redfish/errors.js";
import { BODY_SCHEMAS, defaultSchemas, SchemaSet } from "../../../gateway/validation/schemas.js";
import { jobFixture, jobFixtures } from "../helpers/fixtures.js";

const schemas = defaultSchemas();

/** [MessageId key, pointer] of each problem, the two things a client acts on. */
function found(schema: string, body: unknown): [string, string | undefined][] {
  return schemas.problems(schema, body).map((p: Problem) => [p.key, p.relatedProperties?.[0]]);
}

const once = { Type: "Once", Time: "08:00:00", Period: null };
const single = { Name: "n", Machines: ["m1"], Action: "PatchProfile", Schedule: once };

t.test("every schema in schemas/ compiles under ajv strict mode, once", async (t) => {
  const set = SchemaSet.load();
  for (const id of Object.values(BODY_SCHEMAS)) t.ok(set.has(id), id);
  t.equal(defaultSchemas(), defaultSchemas(), "compiled once and shared");
});

t.test("our five MultiFish-style job bodies are accepted as they are", async (t) => {
  const fixtures = jobFixtures();
  t.equal(fixtures.length, 5);
  for (const { name, body } of fixtures) t.same(found(BODY_SCHEMAS.jobCreate, body), [], name);
});

t.test("Shoal's additions are accepted: Steps, Policy, Cron, Manual, Date, TimeZone, DaysOfMonth as an array with L", async (t) => {
  const bodies = [
    {
      Name: "two steps",
      Steps: [
        { Name: "profile", Action: "PatchProfile", Machines: ["a", "b"], Payload: [{ ManagerID: "bmc" }] },
        { Action: "PatchManager", Machines: ["a"], Mode: "ParallelWithPrevious", ContinueOnFailure: true },
      ],
      Schedule: { Type: "Cron", Cron: "0 6 * * 1-5", TimeZone: "Asia/Taipei" },
      Policy: { Overlap: "Queue", Misfire: "Skip", MaxConcurrency: 50, TaskTimeoutSeconds: 30, ExecutionTimeoutSeconds: 600, Retry: { MaxAttempts: 3, InitialDelaySeconds: 0.5, Factor: 2, MaxDelaySeconds: 30 } },
      Enabled: false,
      Description: null,
    },
    { ...single, Schedule: { Type: "Manual" } },
    { ...single, Schedule: { Type: "Once", Time: "08:00", Date: "2027-01-31", TimeZone: "Europe/London" } },
    { ...single, Schedule: { Type: "Continuous", Time: "08:00", Period: { DaysOfMonth: [1, "L", "15"] } } },
    { ...single, Schedule: { Type: "Continuous", Time: "08:00" } },
    { ...single, Schedule: { Type: "Continuous", Time: "08:00", Period: { DaysOfMonth: "" } } },
  ];
  for (const body of bodies) t.same(found(BODY_SCHEMAS.jobCreate, body), [], JSON.stringify(body.Schedule));
});

t.test("each ajv failure becomes the Base message REDFISH.md names, at the offending property", async (t) => {
  const cases: [string, unknown, [string, string][]][] = [
    ["required", { Schedule: once, Action: "PatchProfile" }, [["PropertyMissing", "#/Machines"]]],
    ["required in a nested object", { ...single, Schedule: { Type: "Once" } }, [["PropertyMissing", "#/Schedule/Time"]]],
    ["cron needs its pattern", { ...single, Schedule: { Type: "Cron" } }, [["PropertyMissing", "#/Schedule/Cron"]]],
    ["type", { ...single, Name: 5 }, [["PropertyValueTypeError", "#/Name"]]],
    ["pattern", { ...single, Schedule: { ...once, Time: "25:00" } }, [["PropertyValueFormatError", "#/Schedule/Time"]]],
    ["pattern, short form", { ...single, Schedule: { ...once, Time: "7:5" } }, [["PropertyValueFormatError", "#/Schedule/Time"]]],
    ["format", { ...single, Schedule: { Type: "Continuous", Time: "08:00", Period: { StartDay: "2026-02-30" } } }, [["PropertyValueFormatError", "#/Schedule/Period/StartDay"]]],
    ["enum", { ...single, Schedule: { ...once, Type: "Weekly" } }, [["PropertyValueNotInList", "#/Schedule/Type"]]],
    ["enum in an array", { ...single, Schedule: { Type: "Continuous", Time: "08:00", Period: { DaysOfWeek: ["Funday"] } } }, [["PropertyValueNotInList", "#/Schedule/Period/DaysOfWeek/0"]]],
    ["maximum", { ...single, Policy: { MaxConcurrency: 10001 } }, [["PropertyValueOutOfRange", "#/Policy/MaxConcurrency"]]],
    ["minimum in an array", { ...single, Schedule: { Type: "Continuous", Time: "08:00", Period: { DaysOfMonth: [0] } } }, [["PropertyValueOutOfRange", "#/Schedule/Period/DaysOfMonth/0"]]],
    ["DaysOfMonth string out of range", { ...single, Schedule: { Type: "Continuous", Time: "08:00", Period: { DaysOfMonth: "1,32" } } }, [["PropertyValueFormatError", "#/Schedule/Period/DaysOfMonth"]]],
    ["minItems", { ...single, Machines: [] }, [["PropertyValueOutOfRange", "#/Machines"]]],
    ["additionalProperties", { ...single, Colour: "red" }, [["PropertyUnknown", "#/Colour"]]],
    ["unknown nested property", { ...single, Schedule: { ...once, When: "now" } }, [["PropertyUnknown", "#/Schedule/When"]]],
    ["machine id format", { ...single, Machines: ["ok", "../../etc"] }, [["PropertyValueFormatError", "#/Machines/1"]]],
    ["duplicate machines", { ...single, Machines: ["a", "b", "a"] }, [["PropertyValueError", "#/Machines/2"]]],
  ];
  for (const [what, body, expected] of cases) t.same(found(BODY_SCHEMAS.jobCreate, body), expected, what);
});

t.test("__proto__ and constructor keys are unknown properties, wherever they are", async (t) => {
  const body: unknown = JSON.parse('{"Name":"n","Machines":["m"],"Action":"A","Schedule":{"Type":"Manual","constructor":{}},"__proto__":{"polluted":true}}');
  t.same(found(BODY_SCHEMAS.jobCreate, body), [
    ["PropertyUnknown", "#/__proto__"],
    ["PropertyUnknown", "#/Schedule/constructor"],
  ]);
  t.equal(({} as Record<string, unknown>)["polluted"], undefined, "nothing was polluted");
});

t.test("a wrong type is reported alone, not with the checks that assume the right type", async (t) => {
  t.same(found(BODY_SCHEMAS.jobCreate, { ...single, Machines: "m1" }), [["PropertyValueTypeError", "#/Machines"]]);
});

t.test("several problems are all reported at once", async (t) => {
  const result = found(BODY_SCHEMAS.jobCreate, { Name: 5, Machines: [], Action: "A", Schedule: { Type: "Once", Time: "99:00" }, Extra: 1 });
  t.same(result.sort(), [
    ["PropertyUnknown", "#/Extra"],
    ["PropertyValueFormatError", "#/Schedule/Time"],
    ["PropertyValueOutOfRange", "#/Machines"],
    ["PropertyValueTypeError", "#/Name"],
  ]);
});

t.test("cross-field rules: Steps excludes Action/Machines/Payload; a schedule takes only its type's fields", async (t) => {
  const steps = { Steps: [{ Action: "PatchProfile", Machines: ["m"] }], Schedule: once };
  t.same(found(BODY_SCHEMAS.jobCreate, { ...steps, Action: "PatchProfile", Payload: [] }), [
    ["PropertyValueConflict", "#/Action"],
    ["PropertyValueConflict", "#/Payload"],
  ]);
  const conflict = schemas.problems(BODY_SCHEMAS.jobCreate, { ...steps, Machines: ["m"] })[0];
  t.same(conflict?.args, ["Machines", "Steps"]);
  t.same(conflict?.relatedProperties, ["#/Machines", "#/Steps"]);
  t.same(found(BODY_SCHEMAS.jobCreate, { ...single, Schedule: { Type: "Once", Time: "08:00", Cron: "* * * * *" } }), [["PropertyValueConflict", "#/Schedule/Cron"]]);
  t.same(found(BODY_SCHEMAS.jobCreate, { ...single, Schedule: { Type: "Once", Time: "08:00", Period: { DaysOfWeek: [] } } }), [["PropertyValueConflict", "#/Schedule/Period"]]);
  t.same(found(BODY_SCHEMAS.jobCreate, { ...single, Schedule: { Type: "Cron", Cron: "0 6 * * *", Time: "08:00" } }), [["PropertyValueConflict", "#/Schedule/Time"]]);
  t.same(found(BODY_SCHEMAS.jobCreate, { ...single, Schedule: { Type: "Manual", TimeZone: "UTC" } }), [["PropertyValueConflict", "#/Schedule/TimeZone"]]);
  t.same(found(BODY_SCHEMAS.jobCreate, { ...single, Schedule: { Type: "Continuous", Time: "08:00", Date: "2026-01-01" } }), [["PropertyValueConflict", "#/Schedule/Date"]]);
});

t.test("a PATCH naming a read-only property gets PropertyNotWritable", async (t) => {
  t.same(found(BODY_SCHEMAS.jobPatch, { Id: "Job-1", Status: "Running", "@odata.id": "/x", NextRunTime: null, Name: "ok" }), [
    ["PropertyNotWritable", "#/Id"],
    ["PropertyNotWritable", "#/Status"],
    ["PropertyNotWritable", "#/NextRunTime"],
    ["PropertyNotWritable", "#/@odata.id"],
  ]);
  t.same(found(BODY_SCHEMAS.jobPatch, { Enabled: false, Schedule: { Type: "Manual" }, Policy: { Overlap: "Allow" } }), []);
  t.same(found(BODY_SCHEMAS.machinePatch, { Id: "x", Connection: {} }), [
    ["PropertyNotWritable", "#/Id"],
    ["PropertyNotWritable", "#/Connection"],
  ]);
});

t.test("machine bodies: required fields, id pattern, type, URL without credentials, timeout range", async (t) => {
  const good = { Id: "rack7-node01", Endpoint: "https://10.1.2.3:8443", Username: "root", Password: "pw" };
  t.same(found(BODY_SCHEMAS.machineCreate, good), []);
  t.same(found(BODY_SCHEMAS.machineCreate, { ...good, "Type@Redfish.AllowableValues": ["Base", "Extend"] }), [], "MultiFish's annotation is tolerated");
  t.same(found(BODY_SCHEMAS.machineCreate, {}), [
    ["PropertyMissing", "#/Id"],
    ["PropertyMissing", "#/Endpoint"],
    ["PropertyMissing", "#/Username"],
    ["PropertyMissing", "#/Password"],
  ]);
  for (const id of ["../../etc", ".hidden", "a b", "x".repeat(65), "名前", ""]) {
    t.same(found(BODY_SCHEMAS.machineCreate, { ...good, Id: id }), [["PropertyValueFormatError", "#/Id"]], JSON.stringify(id));
  }
  for (const endpoint of ["ftp://bmc", "bmc.local", "https://root:pw@bmc", "javascript:alert(1)", "http://"]) {
    t.same(found(BODY_SCHEMAS.machineCreate, { ...good, Endpoint: endpoint }), [["PropertyValueFormatError", "#/Endpoint"]], endpoint);
  }
  t.same(found(BODY_SCHEMAS.machineCreate, { ...good, Type: "OpenBMC" }), [["PropertyValueNotInList", "#/Type"]]);
  t.same(found(BODY_SCHEMAS.machineCreate, { ...good, HTTPClientTimeout: 0 }), [["PropertyValueOutOfRange", "#/HTTPClientTimeout"]]);
  t.same(found(BODY_SCHEMAS.machineCreate, { ...good, HTTPClientTimeout: 2.5 }), [["PropertyValueTypeError", "#/HTTPClientTimeout"]]);
});

t.test("a password of the wrong type is reported without echoing it", async (t) => {
  const [problem] = schemas.problems(BODY_SCHEMAS.machineCreate, { Id: "m", Endpoint: "http://h", Username: "u", Password: 123456789 });
  t.equal(problem?.key, "PropertyValueTypeError");
  t.same(problem?.args, ["******", "Password"]);
});

t.test("JobService PATCH: either form of WorkerPoolSize, 1 to 10000, not both", async (t) => {
  t.same(found(BODY_SCHEMAS.jobServicePatch, { ServiceCapabilities: { WorkerPoolSize: 20 } }), []);
  t.same(found(BODY_SCHEMAS.jobServicePatch, { WorkerPoolSize: 20 }), []);
  t.same(found(BODY_SCHEMAS.jobServicePatch, { WorkerPoolSize: 0 }), [["PropertyValueOutOfRange", "#/WorkerPoolSize"]]);
  t.same(found(BODY_SCHEMAS.jobServicePatch, { ServiceCapabilities: { WorkerPoolSize: 10001 } }), [["PropertyValueOutOfRange", "#/ServiceCapabilities/WorkerPoolSize"]]);
  t.same(found(BODY_SCHEMAS.jobServicePatch, { ServiceCapabilities: { WorkerPoolSize: 4, ActiveWorkers: 2 } }), [["PropertyNotWritable", "#/ServiceCapabilities/ActiveWorkers"]]);
  t.same(found(BODY_SCHEMAS.jobServicePatch, { WorkerPoolSize: 4, ServiceCapabilities: { WorkerPoolSize: 4 } }), [["PropertyValueConflict", "#/WorkerPoolSize"]]);
});

t.test("PreviewSchedule takes a Schedule, an optional Count and After", async (t) => {
  t.same(found(BODY_SCHEMAS.previewSchedule, { Schedule: jobFixture("continuous-twice-monthly.json")["Schedule"], Count: 5 }), []);
  t.same(found(BODY_SCHEMAS.previewSchedule, { Count: 0 }), [["PropertyMissing", "#/Schedule"], ["PropertyValueOutOfRange", "#/Count"]]);
  t.same(found(BODY_SCHEMAS.previewSchedule, { Schedule: { Type: "Manual" }, After: "yesterday" }), [["PropertyValueFormatError", "#/After"]]);
});

t.test("check() returns the typed body or throws a 400 listing every problem", async (t) => {
  const body = schemas.check<{ Name: string }>(BODY_SCHEMAS.jobCreate, single);
  t.equal(body.Name, "n");
  try {
    schemas.check(BODY_SCHEMAS.jobCreate, { Schedule: 1, Extra: 2 });
    t.fail("accepted");
  } catch (e) {
    t.ok(e instanceof RedfishError);
    t.equal((e as RedfishError).status, 400);
    t.equal((e as RedfishError).problems.length, 4, "Schedule type, Extra unknown, Action and Machines missing");
  }
});

t.test("a payload schema's problems can be placed where the payload sits in the body", async (t) => {
  const problems = schemas.problems(BODY_SCHEMAS.machinePatch, { Colour: 1 }, { prefix: "#/Steps/1/Payload/0" });
  t.same(problems[0]?.relatedProperties, ["#/Steps/1/Payload/0/Colour"]);
});

t.test("the action payload schemas in schemas/actions/ compile in the same set and report at the payload's place in the body", async (t) => {
  const payload = [{ ManagerID: "bmc", FanControllerID: "cpu0_fan", Payload: { PCoefficient: 0.4, Gain: 3, StepUp: 1 } }];
  t.ok(schemas.has("actions/PatchFanController.json"));
  t.same(
    schemas.problems("actions/PatchFanController.json", payload, { prefix: "#/Payload" }).map((p) => [p.key, p.relatedProperties?.[0]]),
    [
      ["PropertyUnknown", "#/Payload/0/Payload/Gain"],
      ["PropertyUnknown", "#/Payload/0/Payload/StepUp"],
    ],
  );
  t.same(schemas.problems("actions/PatchProfile.json", [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]), []);
});
