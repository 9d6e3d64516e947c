import t from "tap";
import type { ActionContext } from "../../../src/scheduler/actions.js";
import { call, dig, memberIds, redfishError, registerMachines, startGateway } from "../helpers/http.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";

/** A gate the test opens: runs of the "Hold" action wait on it (or on their signal). */
function gate() {
  let open!: () => void;
  let opened = new Promise<void>((resolve) => (open = resolve));
  return {
    wait: (signal: AbortSignal): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new Error("aborted"));
        signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
        void opened.then(resolve);
      }),
    open: () => open(),
    reset: () => {
      opened = new Promise<void>((resolve) => (open = resolve));
    },
  };
}

t.test("Trigger, Cancel and Executions over real HTTP", async (t) => {
  const hold = gate();
  const g = await startGateway({
    defineActions: (s) => {
      s.defineAction("Echo", {
        run: async (ctx: ActionContext) => {
          if (ctx.target === "broken-1") throw Object.assign(new Error("BMC said no"), { type: "HttpError" });
          return { message: `echo from ${ctx.target}` };
        },
      });
      s.defineAction("Hold", { run: async (ctx: ActionContext) => (await hold.wait(ctx.signal), { message: "released" }) });
    },
  });
  t.teardown(async () => {
    hold.open();
    await g.close();
  });
  await registerMachines(g.url, ["m-1", "m-2", "broken-1"]);

  const create = async (body: Record<string, unknown>): Promise<string> => {
    const reply = await call(g.url, "POST", JOBS, { body: { Schedule: { Type: "Manual" }, ...body } });
    if (reply.status !== 201) throw new Error(reply.text);
    return String(reply.json["Id"]);
  };
  const trigger = (id: string) => call(g.url, "POST", `${JOBS}/${id}/Actions/Trigger`);

  t.test("a Manual job triggered over HTTP runs, and its execution with per-machine results is readable", async (t) => {
    const id = await create({ Name: "echo", Action: "Echo", Machines: ["m-1", "m-2"] });
    const reply = await trigger(id);
    t.equal(reply.status, 202);
    const executionId = String(reply.json["Id"]);
    const location = `${JOBS}/${id}/Executions/${executionId}`;
    t.equal(reply.headers["location"], location);
    t.match(reply.json, {
      "@odata.type": "#JobExecution.v1_0_0.JobExecution",
      "@odata.id": location,
      JobId: id,
      Trigger: "Manual",
      InitiatedBy: "api",
      Actions: { "#JobExecution.Cancel": { target: `${location}/Actions/Cancel` } },
    });
    await g.scheduler.waitForExecution(executionId);

    const execution = await call(g.url, "GET", location);
    t.equal(execution.status, 200);
    t.match(execution.headers["etag"], /^W\/"/);
    t.match(execution.json, {
      Id: executionId,
      JobId: id,
      State: "Completed",
      Health: "OK",
      PercentComplete: 100,
      Trigger: "Manual",
      Summary: { Machines: 2, Succeeded: 2, Failed: 0 },
      Steps: [
        {
          Action: "Echo",
          State: "Completed",
          Machines: [
            { MachineId: "m-1", Status: "Success", Attempts: 1, ErrorType: null, Message: "echo from m-1" },
            { MachineId: "m-2", Status: "Success", Attempts: 1, ErrorType: null, Message: "echo from m-2" },
          ],
        },
      ],
    });
    t.type(dig(execution.json, "StartTime"), "string");
    t.type(dig(execution.json, "Steps", 0, "Machines", 0, "EndTime"), "string");

    const job = await call(g.url, "GET", `${JOBS}/${id}`);
    t.match(job.json, { Status: "Manual", ExecutionCount: 1, NextRunTime: null, LastRun: { Id: execution.json["Id"], State: "Completed", Health: "OK" } });
    t.type(job.json["LastRunTime"], "string");
  });

  t.test("a machine that fails shows in its result, the summary and the job's LastRun", async (t) => {
    const id = await create({ Action: "Echo", Machines: ["m-1", "broken-1"] });
    const started = await trigger(id);
    await g.scheduler.waitForExecution(String(started.json["Id"]));
    const execution = await call(g.url, "GET", String(started.headers["location"]));
    t.match(execution.json, {
      State: "Completed",
      Health: "Warning",
      Summary: { Machines: 2, Succeeded: 1, Failed: 1 },
      Steps: [{ Machines: [{ MachineId: "m-1", Status: "Success" }, { MachineId: "broken-1", Status: "Error", ErrorType: "HttpError", Message: "BMC said no" }] }],
    });
    const all = await create({ Action: "Echo", Machines: ["broken-1"] });
    await g.scheduler.waitForExecution(String((await trigger(all)).json["Id"]));
    t.match((await call(g.url, "GET", `${JOBS}/${all}`)).json, { Status: "Manual", LastRun: { State: "Failed", Health: "Critical" } });
  });

  t.test("a running job shows Running, counts in the JobService, and a second trigger under Skip is 409 ResourceInUse", async (t) => {
    hold.reset();
    const id = await create({ Action: "Hold", Machines: ["m-1"] });
    const first = await trigger(id);
    t.equal(first.status, 202);
    t.equal((await call(g.url, "GET", `${JOBS}/${id}`)).json["Status"], "Running");
    const service = await call(g.url, "GET", "/MultiFish/v1/JobService");
    t.match(service.json, { ServiceCapabilities: { RunningJobs: 1, ActiveWorkers: 1 } });

    const second = await trigger(id);
    t.equal(second.status, 409);
    t.equal(redfishError(second).code, "Base.1.22.ResourceInUse");
    t.notOk(second.headers["location"]);

    hold.open();
    const final = await g.scheduler.waitForExecution(String(first.json["Id"]));
    t.equal(final.state, "Completed");
    t.match((await call(g.url, "GET", `${JOBS}/${id}`)).json, { Status: "Manual", LastRun: { Id: first.json["Id"], State: "Completed" } });
    t.match((await call(g.url, "GET", "/MultiFish/v1/JobService")).json, { ServiceCapabilities: { RunningJobs: 0, ActiveWorkers: 0 } });
  });

  t.test("cancelling an execution ends it Cancelled; cancelling it again is a 409", async (t) => {
    hold.reset();
    const id = await create({ Action: "Hold", Machines: ["m-1", "m-2"] });
    const started = await trigger(id);
    const location = String(started.headers["location"]);
    const cancelled = await call(g.url, "POST", `${location}/Actions/Cancel`);
    t.equal(cancelled.status, 200);
    t.match(cancelled.json, { Id: started.json["Id"], State: "Cancelled" });
    t.equal((await call(g.url, "GET", location)).json["State"], "Cancelled");
    const again = await call(g.url, "POST", `${location}/Actions/Cancel`);
    t.equal(again.status, 409);
    hold.open();
  });

  t.test("Cancel stops the job's scheduling for good; a run in progress finishes and the job stays Cancelled", async (t) => {
    hold.reset();
    const id = await create({ Action: "Hold", Machines: ["m-1"], Schedule: { Type: "Cron", Cron: "0 3 * * *" } });
    t.type((await call(g.url, "GET", `${JOBS}/${id}`)).json["NextRunTime"], "string");
    const running = await trigger(id);
    const cancelled = await call(g.url, "POST", `${JOBS}/${id}/Actions/Cancel`);
    t.equal(cancelled.status, 200);
    t.match(cancelled.json, { Id: id, Status: "Cancelled", NextRunTime: null });
    t.match(cancelled.headers["etag"], /^W\/"/);
    hold.open();
    const final = await g.scheduler.waitForExecution(String(running.json["Id"]));
    t.equal(final.state, "Completed", "the run in progress was left to finish");
    t.match((await call(g.url, "GET", `${JOBS}/${id}`)).json, { Status: "Cancelled", NextRunTime: null });

    const retrigger = await trigger(id);
    t.equal(retrigger.status, 409);
    t.equal(redfishError(retrigger).code, "Base.1.22.ResourceInUse");
    const enable = await call(g.url, "PATCH", `${JOBS}/${id}`, { body: { Enabled: true } });
    t.equal(enable.status, 409);
    t.equal((await call(g.url, "POST", `${JOBS}/${id}/Actions/Cancel`)).status, 200, "cancelling twice is harmless");
  });

  t.test("the Executions collection lists runs newest first and pages", async (t) => {
    const id = await create({ Action: "Echo", Machines: ["m-1"] });
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const started = await trigger(id);
      runs.push(String(started.json["Id"]));
      await g.scheduler.waitForExecution(runs[i] ?? "");
    }
    const path = `${JOBS}/${id}/Executions`;
    const all = await call(g.url, "GET", path);
    t.equal(all.status, 200);
    t.match(all.json, { "@odata.type": "#JobExecutionCollection.JobExecutionCollection", "@odata.id": path, "Members@odata.count": 3 });
    t.same(memberIds(all), [...runs].reverse().map((e) => `${path}/${e}`));
    const page = await call(g.url, "GET", `${path}?$top=2`);
    t.same(memberIds(page), memberIds(all).slice(0, 2));
    t.equal(page.json["Members@odata.nextLink"], `${path}?$skip=2&$top=2`);
    const last = await call(g.url, "GET", `${path}?$skip=2&$top=2`);
    t.same(memberIds(last), memberIds(all).slice(2));
    t.equal((await call(g.url, "GET", `${path}?$top=x`)).status, 400);
  });

  t.test("an execution is found only under its own job", async (t) => {
    const a = await create({ Action: "Echo", Machines: ["m-1"] });
    const b = await create({ Action: "Echo", Machines: ["m-2"] });
    const run = String((await trigger(a)).json["Id"]);
    await g.scheduler.waitForExecution(run);
    const wrongJob = await call(g.url, "GET", `${JOBS}/${b}/Executions/${run}`);
    t.equal(wrongJob.status, 404);
    t.same(redfishError(wrongJob)["@Message.ExtendedInfo"][0]?.MessageArgs, ["JobExecution", run]);
    t.equal((await call(g.url, "GET", `${JOBS}/${a}/Executions/Exec-nope`)).status, 404);
    t.equal((await call(g.url, "POST", `${JOBS}/${b}/Executions/${run}/Actions/Cancel`)).status, 404);
    t.equal((await call(g.url, "GET", `${JOBS}/${a}/Executions/${run}`)).status, 200);
  });

  t.test("deleting a job removes its history too", async (t) => {
    const id = await create({ Action: "Echo", Machines: ["m-1"] });
    const run = String((await trigger(id)).json["Id"]);
    await g.scheduler.waitForExecution(run);
    t.equal((await call(g.url, "DELETE", `${JOBS}/${id}`)).status, 200);
    t.equal((await call(g.url, "GET", `${JOBS}/${id}/Executions/${run}`)).status, 404);
    t.equal((await call(g.url, "GET", `${JOBS}/${id}/Executions`)).status, 404);
  });
});
