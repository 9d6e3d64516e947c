import t from "tap";
import { ManualClock } from "../../../src/scheduler/clock.js";
import { call, dig, memberIds, messageIds, redfishError, registerMachines, related, startGateway } from "../helpers/http.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";
const NOW = new Date("2026-02-10T12:00:00Z");

const ok = async () => ({ message: "ok" });

/** A MultiFish-shaped body: top-level Action, Machines, Payload. */
const profileJob = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Name: "Nightly PowerSaver",
  Machines: ["ext-1", "ext-2"],
  Action: "PatchProfile",
  Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
  Schedule: { Type: "Continuous", Time: "22:00:00", Period: { StartDay: "2026-02-10", EndDay: "2026-12-31", DaysOfWeek: ["Monday", "Wednesday", "Friday"], DaysOfMonth: null } },
  ...extra,
});

t.test("Jobs over real HTTP", async (t) => {
  const g = await startGateway({
    schedulerClock: new ManualClock(NOW),
    defineActions: (s) => {
      s.defineAction("PatchProfile", { run: ok });
      s.defineAction("PatchManager", { run: ok });
      s.defineAction("Echo", { run: ok });
    },
  });
  t.teardown(() => g.close());
  await registerMachines(g.url, ["ext-1", "ext-2", "ext-3"]);
  await registerMachines(g.url, ["base-1"], { Type: "Base" });
  const count = async (): Promise<unknown> => (await call(g.url, "GET", JOBS)).json["Members@odata.count"];

  t.test("POST a MultiFish body: 201, Location, ETag, and the job as MultiFish shows it plus Shoal's fields", async (t) => {
    const reply = await call(g.url, "POST", JOBS, { body: profileJob() });
    t.equal(reply.status, 201);
    const id = String(reply.json["Id"]);
    t.match(id, /^Job-[0-9a-z]+-[0-9a-z]+$/);
    t.equal(reply.headers["location"], `${JOBS}/${id}`);
    t.match(reply.headers["etag"], /^W\/"/);
    t.match(reply.json, {
      "@odata.type": "#Job.v1_0_0.Job",
      "@odata.id": `${JOBS}/${id}`,
      "@odata.etag": reply.headers["etag"],
      Name: "Nightly PowerSaver",
      Enabled: true,
      Status: "Scheduled",
      Machines: ["ext-1", "ext-2"],
      Action: "PatchProfile",
      Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
      Schedule: { Type: "Continuous", Time: "22:00:00", Period: { StartDay: "2026-02-10", EndDay: "2026-12-31", DaysOfWeek: ["Monday", "Wednesday", "Friday"] } },
      CreatedTime: "2026-02-10T12:00:00Z",
      LastRunTime: null,
      NextRunTime: "2026-02-11T22:00:00Z",
      ExecutionCount: 0,
      Executions: { "@odata.id": `${JOBS}/${id}/Executions` },
      Actions: { "#Job.Trigger": { target: `${JOBS}/${id}/Actions/Trigger` }, "#Job.Cancel": { target: `${JOBS}/${id}/Actions/Cancel` } },
    });
    t.match(reply.json["ScheduleDescription"], /22:00/);
    const got = await call(g.url, "GET", `${JOBS}/${id}`);
    t.equal(got.status, 200);
    t.equal(got.headers["etag"], reply.headers["etag"]);
    t.same(got.json, reply.json);
  });

  t.test("POST with Steps, Policy and a Manual schedule", async (t) => {
    const reply = await call(g.url, "POST", JOBS, {
      body: {
        Name: "two steps",
        Steps: [
          { Name: "identify", Action: "PatchManager", Machines: ["base-1", "ext-1"], Payload: [{ ManagerID: "bmc", Payload: { ServiceIdentification: "rack7" } }] },
          { Action: "Echo", Machines: ["ext-2"], Mode: "ParallelWithPrevious", ContinueOnFailure: true },
        ],
        Schedule: { Type: "Manual" },
        Policy: { Overlap: "Queue", TaskTimeoutSeconds: 12.5, Retry: { MaxAttempts: 2 } },
      },
    });
    t.equal(reply.status, 201);
    t.notOk("Action" in reply.json, "a job of several steps has no top-level Action");
    t.match(reply.json, {
      Status: "Manual",
      NextRunTime: null,
      Schedule: { Type: "Manual" },
      ScheduleDescription: "Only when triggered",
      Steps: [
        { Name: "identify", Action: "PatchManager", Machines: ["base-1", "ext-1"], Mode: "Sequential", ContinueOnFailure: false },
        { Action: "Echo", Machines: ["ext-2"], Payload: null, Mode: "ParallelWithPrevious", ContinueOnFailure: true },
      ],
      Policy: { Overlap: "Queue", Misfire: "RunOnce", TaskTimeoutSeconds: 12.5, Retry: { MaxAttempts: 2, InitialDelaySeconds: 1, Factor: 2, MaxDelaySeconds: 60 } },
    });
  });

  t.test("each invalid create is a 400 with one entry per problem at its pointer, and creates nothing", async (t) => {
    const before = await count();
    const cases: [string, Record<string, unknown>, string[], string[]][] = [
      ["schedule missing", { Action: "Echo", Machines: ["ext-1"] }, ["PropertyMissing"], ["#/Schedule"]],
      ["wrong type", profileJob({ Machines: "ext-1" }), ["PropertyValueTypeError"], ["#/Machines"]],
      ["bad time", profileJob({ Schedule: { Type: "Once", Time: "25:00" } }), ["PropertyValueFormatError"], ["#/Schedule/Time"]],
      ["schedule type not in list", profileJob({ Schedule: { Type: "Hourly", Time: "10:00" } }), ["PropertyValueNotInList"], ["#/Schedule/Type"]],
      ["unknown property", profileJob({ Colour: "red" }), ["PropertyUnknown"], ["#/Colour"]],
      ["read-only Id", profileJob({ Id: "Job-mine" }), ["PropertyUnknown"], ["#/Id"]],
      ["payload entry without its Payload", profileJob({ Payload: [{ ManagerID: "bmc" }] }), ["PropertyMissing"], ["#/Payload/0/Payload"]],
      ["payload with an unknown key", profileJob({ Payload: [{ ManagerID: "bmc", Payload: { Profile: "Quiet", Fan: 1 } }] }), ["PropertyUnknown"], ["#/Payload/0/Payload/Fan"]],
      ["payload absent for a BMC action", { ...profileJob(), Payload: undefined }, ["PropertyMissing"], ["#/Payload"]],
      ["machine not registered", profileJob({ Machines: ["ext-1", "ghost-9"] }), ["ResourceNotFound"], ["#/Machines/1"]],
      ["machine type cannot run the action", profileJob({ Machines: ["base-1"] }), ["PropertyValueNotInList"], ["#/Machines/0"]],
      ["unknown action", profileJob({ Action: "PatchEverything", Payload: null }), ["PropertyValueNotInList"], ["#/Action"]],
      ["unknown action in a step", { Steps: [{ Action: "Echo", Machines: ["ext-1"] }, { Action: "Nope", Machines: ["ext-2"] }], Schedule: { Type: "Manual" } }, ["PropertyValueNotInList"], ["#/Steps/1/Action"]],
      ["an unknown action and an unregistered machine, in one answer", profileJob({ Action: "PatchProfle", Machines: ["ext-1", "ghost-9"] }), ["PropertyValueNotInList", "ResourceNotFound"], ["#/Action", "#/Machines/1"]],
      ["EndDay before StartDay", profileJob({ Schedule: { Type: "Continuous", Time: "08:00", Period: { StartDay: "2026-05-01", EndDay: "2026-04-01" } } }), ["PropertyValueOutOfRange"], ["#/Schedule/Period/EndDay"]],
      ["a period that has ended", profileJob({ Schedule: { Type: "Continuous", Time: "08:00", Period: { EndDay: "2026-02-09" } } }), ["PropertyValueOutOfRange"], ["#/Schedule/Period/EndDay"]],
      ["a period with no matching day", profileJob({ Schedule: { Type: "Continuous", Time: "08:00", Period: { StartDay: "2026-04-01", EndDay: "2026-04-30", DaysOfMonth: [31] } } }), ["PropertyValueError"], ["#/Schedule"]],
      ["Once in the past", profileJob({ Schedule: { Type: "Once", Time: "08:00", Date: "2026-02-09" } }), ["PropertyValueOutOfRange"], ["#/Schedule/Date"]],
      ["bad cron", profileJob({ Schedule: { Type: "Cron", Cron: "61 * * * *" } }), ["PropertyValueFormatError"], ["#/Schedule/Cron"]],
      ["unknown zone", profileJob({ Schedule: { Type: "Once", Time: "08:00", TimeZone: "Mars/Olympus" } }), ["PropertyValueNotInList"], ["#/Schedule/TimeZone"]],
      ["steps and action together", { ...profileJob(), Steps: [{ Action: "Echo", Machines: ["ext-1"] }] }, ["PropertyValueConflict", "PropertyValueConflict", "PropertyValueConflict"], ["#/Action", "#/Steps", "#/Machines", "#/Steps", "#/Payload", "#/Steps"]],
      [
        "step problems point into Steps",
        {
          Steps: [
            { Action: "PatchProfile", Machines: ["ext-1"], Payload: [{ ManagerID: "bmc", Payload: {} }] },
            { Action: "PatchProfile", Machines: ["ext-2", "base-1", "nope"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }] },
          ],
          Schedule: { Type: "Manual" },
        },
        ["PropertyMissing", "PropertyValueNotInList", "ResourceNotFound"],
        ["#/Steps/0/Payload/0/Payload/Profile", "#/Steps/1/Machines/1", "#/Steps/1/Machines/2"],
      ],
      ["a first step cannot join a previous one", { Steps: [{ Action: "Echo", Machines: ["ext-1"], Mode: "ParallelWithPrevious" }], Schedule: { Type: "Manual" } }, ["PropertyValueError"], ["#/Steps/0/Mode"]],
      ["duplicate machines", profileJob({ Machines: ["ext-1", "ext-1"] }), ["PropertyValueError"], ["#/Machines/1"]],
      ["out of range policy", profileJob({ Policy: { MaxConcurrency: 0, Retry: { MaxAttempts: 1e9 } } }), ["PropertyValueOutOfRange", "PropertyValueOutOfRange"], ["#/Policy/MaxConcurrency", "#/Policy/Retry/MaxAttempts"]],
    ];
    for (const [what, body, ids, pointers] of cases) {
      const reply = await call(g.url, "POST", JOBS, { body });
      t.equal(reply.status, 400, what);
      t.same(messageIds(reply), ids.map((id) => `Base.1.22.${id}`), what);
      t.same(related(reply), pointers, what);
      t.equal(redfishError(reply).code, ids.length === 1 ? `Base.1.22.${ids[0]}` : "Base.1.22.GeneralError", what);
    }
    const unregistered = await call(g.url, "POST", JOBS, { body: profileJob({ Machines: ["ghost-9"] }) });
    t.same(redfishError(unregistered)["@Message.ExtendedInfo"][0]?.MessageArgs, ["Machine", "ghost-9"]);
    t.equal(await count(), before, "nothing was created");
  });

  t.test("bodies the JSON reader refuses: 400 MalformedJSON, 415, 413", async (t) => {
    const before = await count();
    const truncated = await call(g.url, "POST", JOBS, { raw: JSON.stringify(profileJob()).slice(0, 40), headers: { "content-type": "application/json" } });
    t.equal(truncated.status, 400);
    t.equal(redfishError(truncated).code, "Base.1.22.MalformedJSON");
    const array = await call(g.url, "POST", JOBS, { raw: "[]", headers: { "content-type": "application/json" } });
    t.equal(redfishError(array).code, "Base.1.22.MalformedJSON");
    const proto = await call(g.url, "POST", JOBS, { raw: '{"__proto__":{"x":1},"Schedule":{"Type":"Manual"},"Action":"Echo","Machines":["ext-1"]}', headers: { "content-type": "application/json" } });
    t.equal(proto.status, 400);
    t.same(related(proto), ["#/__proto__"]);
    const text = await call(g.url, "POST", JOBS, { raw: JSON.stringify(profileJob()), headers: { "content-type": "text/plain" } });
    t.equal(text.status, 415);
    const huge = await call(g.url, "POST", JOBS, { body: profileJob({ Name: "x".repeat(2 * 1024 * 1024) }) });
    t.equal(huge.status, 413);
    t.equal(await count(), before);
  });

  t.test("the collection pages with $top/$skip in creation order and refuses bad paging", async (t) => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      made.push(String((await call(g.url, "POST", JOBS, { body: profileJob({ Name: `page ${i}` }) })).json["Id"]));
    }
    const all = await call(g.url, "GET", JOBS);
    t.equal(all.json["@odata.type"], "#JobCollection.JobCollection");
    t.equal(all.json["Name"], "Job Collection");
    const ids = memberIds(all);
    t.equal(all.json["Members@odata.count"], ids.length);
    t.same(ids.slice(-3), made.map((id) => `${JOBS}/${id}`));
    t.notOk("Members@odata.nextLink" in all.json);
    const page = await call(g.url, "GET", `${JOBS}?$top=2&$skip=1`);
    t.same(memberIds(page), ids.slice(1, 3));
    t.equal(page.json["Members@odata.count"], ids.length);
    t.equal(page.json["Members@odata.nextLink"], `${JOBS}?$skip=3&$top=2`);
    const beyond = await call(g.url, "GET", `${JOBS}?$skip=100000`);
    t.same(memberIds(beyond), []);
    for (const [query, key] of [["$top=-1", "QueryParameterOutOfRange"], ["$top=abc", "QueryParameterValueTypeError"], ["$skip=1.5", "QueryParameterValueTypeError"]]) {
      const bad = await call(g.url, "GET", `${JOBS}?${query}`);
      t.equal(bad.status, 400, query);
      t.equal(redfishError(bad).code, `Base.1.22.${key}`, query);
    }
  });

  t.test("an unknown job is 404 ResourceNotFound naming it, on every job route", async (t) => {
    for (const [method, path] of [
      ["GET", `${JOBS}/Job-nope`],
      ["PATCH", `${JOBS}/Job-nope`],
      ["DELETE", `${JOBS}/Job-nope`],
      ["POST", `${JOBS}/Job-nope/Actions/Trigger`],
      ["POST", `${JOBS}/Job-nope/Actions/Cancel`],
      ["POST", `${JOBS}/Job-nope/Actions/Frobnicate`],
      ["GET", `${JOBS}/Job-nope/Executions`],
      ["GET", `${JOBS}/Job-nope/Executions/Exec-1`],
      ["POST", `${JOBS}/Job-nope/Executions/Exec-1/Actions/Cancel`],
    ] as const) {
      const reply = await call(g.url, method, path, method === "PATCH" ? { body: { Name: "x" } } : {});
      t.equal(reply.status, 404, `${method} ${path}`);
      t.equal(redfishError(reply).code, "Base.1.22.ResourceNotFound");
      t.same(redfishError(reply)["@Message.ExtendedInfo"][0]?.MessageArgs, ["Job", "Job-nope"], `${method} ${path}`);
    }
  });

  t.test("an action a job does not have is 400 ActionNotSupported; a method a route does not take is 405", async (t) => {
    const id = String((await call(g.url, "POST", JOBS, { body: profileJob() })).json["Id"]);
    const reply = await call(g.url, "POST", `${JOBS}/${id}/Actions/Frobnicate`);
    t.equal(reply.status, 400);
    t.equal(redfishError(reply).code, "Base.1.22.ActionNotSupported");
    t.same(redfishError(reply)["@Message.ExtendedInfo"][0]?.MessageArgs, ["Frobnicate"]);
    const put = await call(g.url, "PUT", `${JOBS}/${id}`, { body: profileJob() });
    t.equal(put.status, 405);
    t.equal(redfishError(put).code, "Base.1.22.OperationNotAllowed");
    t.match(put.headers["allow"], /PATCH/);
    t.equal((await call(g.url, "GET", `${JOBS}/${id}/Actions/Trigger`)).status, 405);
    const lower = await call(g.url, "POST", `${JOBS}/${id}/Actions/trigger`);
    t.equal(lower.status, 400, "paths are case-sensitive: trigger is not Trigger");
    t.equal((await call(g.url, "GET", "/multifish/v1/jobservice/jobs")).status, 404);
  });

  t.test("PATCH changes the job and its ETag; a stale If-Match is 412 and changes nothing", async (t) => {
    const created = await call(g.url, "POST", JOBS, { body: profileJob() });
    const id = String(created.json["Id"]);
    const etag = created.headers["etag"] ?? "";
    const patched = await call(g.url, "PATCH", `${JOBS}/${id}`, {
      body: { Name: "renamed", Machines: ["ext-3"], Schedule: { Type: "Continuous", Time: "06:00", Period: { DaysOfWeek: [], DaysOfMonth: "1,15" } } },
      headers: { "if-match": etag },
    });
    t.equal(patched.status, 200);
    t.match(patched.json, { Name: "renamed", Machines: ["ext-3"], Action: "PatchProfile", Schedule: { Time: "06:00", Period: { DaysOfMonth: "1,15", DaysOfWeek: [] } }, NextRunTime: "2026-02-15T06:00:00Z" });
    t.not(patched.headers["etag"], etag);
    t.equal(patched.headers["etag"], patched.json["@odata.etag"]);

    const stale = await call(g.url, "PATCH", `${JOBS}/${id}`, { body: { Name: "late" }, headers: { "if-match": etag } });
    t.equal(stale.status, 412);
    t.equal(redfishError(stale).code, "Base.1.22.PreconditionFailed");
    t.equal((await call(g.url, "GET", `${JOBS}/${id}`)).json["Name"], "renamed");
  });

  t.test("an invalid PATCH changes nothing and names each problem", async (t) => {
    const id = String((await call(g.url, "POST", JOBS, { body: profileJob() })).json["Id"]);
    const before = await call(g.url, "GET", `${JOBS}/${id}`);
    const cases: [string, Record<string, unknown>, string[], string[]][] = [
      ["read-only properties", { Name: "fine", Status: "Completed", NextRunTime: "2030-01-01T00:00:00Z" }, ["PropertyNotWritable", "PropertyNotWritable"], ["#/Status", "#/NextRunTime"]],
      ["bad time and unknown machine", { Schedule: { Type: "Once", Time: "24:00" }, Machines: ["ext-1", "ghost"] }, ["PropertyValueFormatError"], ["#/Schedule/Time"]],
      ["unknown machine", { Name: "fine", Machines: ["ext-1", "ghost"] }, ["ResourceNotFound"], ["#/Machines/1"]],
      ["machine type", { Machines: ["base-1"] }, ["PropertyValueNotInList"], ["#/Machines/0"]],
      ["bad payload", { Payload: [{ ManagerID: "bmc", Payload: { Profile: 3 } }] }, ["PropertyValueTypeError"], ["#/Payload/0/Payload/Profile"]],
      ["schedule the core refuses", { Name: "fine", Schedule: { Type: "Continuous", Time: "08:00", Period: { StartDay: "2026-05-01", EndDay: "2026-04-01" } } }, ["PropertyValueOutOfRange"], ["#/Schedule/Period/EndDay"]],
      ["action is not patchable", { Action: "Echo" }, ["PropertyNotWritable"], ["#/Action"]],
      ["wrong type", { Enabled: "yes" }, ["PropertyValueTypeError"], ["#/Enabled"]],
    ];
    for (const [what, body, ids, pointers] of cases) {
      const reply = await call(g.url, "PATCH", `${JOBS}/${id}`, { body });
      t.equal(reply.status, 400, what);
      t.same(messageIds(reply), ids.map((k) => `Base.1.22.${k}`), what);
      t.same(related(reply), pointers, what);
    }
    const empty = await call(g.url, "PATCH", `${JOBS}/${id}`, { raw: "", headers: { "content-type": "application/json" } });
    t.equal(empty.status, 400);
    const after = await call(g.url, "GET", `${JOBS}/${id}`);
    t.same(after.json, before.json);
    t.equal(after.headers["etag"], before.headers["etag"]);
  });

  t.test("Machines or Payload on a job of several steps conflict with Steps", async (t) => {
    const created = await call(g.url, "POST", JOBS, {
      body: { Steps: [{ Action: "Echo", Machines: ["ext-1"] }, { Action: "Echo", Machines: ["ext-2"] }], Schedule: { Type: "Manual" } },
    });
    const reply = await call(g.url, "PATCH", `${JOBS}/${created.json["Id"]}`, { body: { Machines: ["ext-3"] } });
    t.equal(reply.status, 400);
    t.same(messageIds(reply), ["Base.1.22.PropertyValueConflict"]);
    t.same(related(reply), ["#/Machines", "#/Steps"]);
    const steps = await call(g.url, "PATCH", `${JOBS}/${created.json["Id"]}`, { body: { Steps: [{ Action: "Echo", Machines: ["ext-3"] }] } });
    t.equal(steps.status, 200);
    t.match(steps.json, { Machines: ["ext-3"], Action: "Echo" });
  });

  t.test("Enabled false pauses the job (no NextRunTime), true resumes it", async (t) => {
    const id = String((await call(g.url, "POST", JOBS, { body: profileJob() })).json["Id"]);
    const paused = await call(g.url, "PATCH", `${JOBS}/${id}`, { body: { Enabled: false } });
    t.match(paused.json, { Enabled: false, Status: "Paused", NextRunTime: null });
    t.equal(g.scheduler.getJob(id).enabled, false);
    const resumed = await call(g.url, "PATCH", `${JOBS}/${id}`, { body: { Enabled: true } });
    t.match(resumed.json, { Enabled: true, Status: "Scheduled", NextRunTime: "2026-02-11T22:00:00Z" });
    const disabled = await call(g.url, "POST", JOBS, { body: profileJob({ Enabled: false }) });
    t.match(disabled.json, { Enabled: false, Status: "Paused" });
  });

  t.test("DELETE honours If-Match, removes the job, then 404", async (t) => {
    const created = await call(g.url, "POST", JOBS, { body: profileJob() });
    const id = String(created.json["Id"]);
    const stale = await call(g.url, "DELETE", `${JOBS}/${id}`, { headers: { "if-match": 'W/"old"' } });
    t.equal(stale.status, 412);
    const deleted = await call(g.url, "DELETE", `${JOBS}/${id}`, { headers: { "if-match": created.headers["etag"] ?? "" } });
    t.equal(deleted.status, 200);
    t.match(deleted.json, { "@Message.ExtendedInfo": [{ MessageId: "Base.1.22.Success" }] });
    t.equal((await call(g.url, "GET", `${JOBS}/${id}`)).status, 404);
    t.equal((await call(g.url, "DELETE", `${JOBS}/${id}`)).status, 404);
  });

  t.test("a machine a job targets is not deleted unless forced", async (t) => {
    await registerMachines(g.url, ["in-use"]);
    await call(g.url, "POST", JOBS, { body: profileJob({ Machines: ["in-use"] }) });
    const refused = await call(g.url, "DELETE", "/MultiFish/v1/Platform/in-use");
    t.equal(refused.status, 409);
    t.equal(redfishError(refused).code, "Base.1.22.ResourceInUse");
    t.equal((await call(g.url, "DELETE", "/MultiFish/v1/Platform/in-use?force=true")).status, 200);
    await registerMachines(g.url, ["unused"]);
    t.equal((await call(g.url, "DELETE", "/MultiFish/v1/Platform/unused")).status, 200);
  });

  t.test("the rendered resource uses the client's own spelling of DaysOfMonth", async (t) => {
    const asString = await call(g.url, "POST", JOBS, { body: profileJob({ Schedule: { Type: "Continuous", Time: "03:30", Period: { DaysOfMonth: "1,15" } } }) });
    t.equal(dig(asString.json, "Schedule", "Period", "DaysOfMonth"), "1,15");
    const asArray = await call(g.url, "POST", JOBS, { body: profileJob({ Schedule: { Type: "Continuous", Time: "03:30", Period: { DaysOfMonth: [1, "L"] } } }) });
    t.same(dig(asArray.json, "Schedule", "Period", "DaysOfMonth"), [1, "L"]);
    t.equal(asArray.json["NextRunTime"], "2026-02-28T03:30:00Z");
  });
});
