import t, { type Test } from "tap";
import { DEFAULT_CONFIG } from "../../../gateway/config.js";
import type { Scheduler } from "../../../src/scheduler/scheduler.js";
import { call, startGateway, type Running } from "../helpers/http.js";
import { messageIs, openSse, type SseEvent } from "./sse-client.js";

const SSE = "/redfish/v1/EventService/SSE";

function defineWork(scheduler: Scheduler): void {
  scheduler.defineAction("work", {
    async run(ctx) {
      if (ctx.target === "bad") throw Object.assign(new Error("the BMC said no"), { type: "HttpError" });
      return { message: "ok" };
    },
  });
}

async function start(t: Test): Promise<Running> {
  const g = await startGateway({ defineActions: defineWork, config: { events: { ...DEFAULT_CONFIG.events, progressIntervalMs: 0 } } });
  t.teardown(() => g.close());
  return g;
}

async function runJob(g: Running, targets: string[]): Promise<{ jobId: string; executionId: string }> {
  const job = await g.scheduler.createJob({
    name: "rollout",
    schedule: { type: "Manual" },
    steps: [{ action: "work", targets, continueOnFailure: true }],
  });
  const execution = await g.scheduler.trigger(job.id);
  await g.scheduler.waitForExecution(execution.id);
  return { jobId: job.id, executionId: execution.id };
}

const forRun = (executionId: string, key: string) => (e: SseEvent) =>
  messageIs(key)(e) && (e.record.MessageArgs as string[])[0] === executionId;

t.test("the service root links the EventService, which names its SSE URI", async (t) => {
  const g = await start(t);
  const root = await call(g.url, "GET", "/MultiFish/v1");
  t.same(root.json.EventService, { "@odata.id": "/redfish/v1/EventService" });
  const service = await call(g.url, "GET", "/redfish/v1/EventService");
  t.equal(service.status, 200);
  t.match(service.json, { ServerSentEventUri: SSE, "@odata.type": /^#EventService\./, Subscriptions: { "@odata.id": "/redfish/v1/EventService/Subscriptions" } });
});

t.test("an SSE client sees a triggered job's start, progress, failed machine and finish, as Redfish Events", async (t) => {
  const g = await start(t);
  const stream = await openSse(g.url, SSE);
  t.teardown(() => stream.close());
  t.equal(stream.status, 200);
  t.match(String(stream.headers["content-type"]), /^text\/event-stream/);

  const { jobId, executionId } = await runJob(g, ["a", "bad", "c"]);
  const created = await stream.waitFor(messageIs("ResourceCreated"));
  t.match(created.record, { MessageId: "ResourceEvent.1.3.0.ResourceCreated", OriginOfCondition: { "@odata.id": `/MultiFish/v1/JobService/Jobs/${jobId}` } });
  const started = await stream.waitFor(forRun(executionId, "TaskStarted"));
  t.match(started.data, { "@odata.type": /^#Event\.v1_\d+_\d+\.Event$/, Id: started.id });
  t.match(started.record, {
    EventId: started.id,
    EventType: "StatusChange",
    MessageId: "TaskEvent.1.0.4.TaskStarted",
    Severity: "OK",
    OriginOfCondition: { "@odata.id": `/MultiFish/v1/JobService/Jobs/${jobId}/Executions/${executionId}` },
    EventTimestamp: /^\d{4}-\d\d-\d\dT/,
  });
  const failed = await stream.waitFor(messageIs("MachineFailed"));
  t.same(failed.record.MessageArgs, ["bad", executionId, "HttpError", "the BMC said no"]);
  const progress = await stream.waitFor(forRun(executionId, "TaskProgressChanged"));
  t.match(progress.record.MessageArgs, [executionId, /^\d+$/]);
  const finished = await stream.waitFor(forRun(executionId, "TaskCompletedWarning"));
  t.match(finished.record, { Severity: "Warning", Oem: { Shoal: { State: "Completed", Health: "Warning", FailedCount: 1, FailedMachines: [{ MachineId: "bad", ErrorType: "HttpError" }] } } });
  const ids = stream.events.map((e) => Number(e.id));
  t.same(ids, [...ids].sort((a, b) => a - b), "ids grow");
  const percents = stream.events.filter(forRun(executionId, "TaskProgressChanged")).map((e) => Number((e.record.MessageArgs as string[])[1]));
  t.equal(percents[percents.length - 1], 100, "the last progress says 100");
});

t.test("Last-Event-ID resumes after the event named, from the replay buffer", async (t) => {
  const g = await start(t);
  const first = await openSse(g.url, SSE);
  t.teardown(() => first.close());
  const { executionId } = await runJob(g, ["a", "b"]);
  const started = await first.waitFor(forRun(executionId, "TaskStarted"));
  const finished = await first.waitFor(forRun(executionId, "TaskCompletedOK"));
  first.close();

  const resumed = await openSse(g.url, SSE, { "Last-Event-ID": started.id! });
  t.teardown(() => resumed.close());
  await resumed.waitFor((e) => e.id === finished.id);
  const after = first.events.filter((e) => Number(e.id) > Number(started.id) && Number(e.id) <= Number(finished.id)).map((e) => e.id);
  t.same(resumed.events.map((e) => e.id).slice(0, after.length), after, "every later event, in order, and not the one named");
});

t.test("$filter keeps only the events asked for; a bad $filter is a 400 naming it", async (t) => {
  const g = await start(t);
  const filter = encodeURIComponent("MessageId eq 'TaskEvent.TaskStarted' or (RegistryPrefix eq 'Shoal' and not (EventType eq 'StatusChange'))");
  const stream = await openSse(g.url, `${SSE}?$filter=${filter}`);
  t.teardown(() => stream.close());
  const { executionId } = await runJob(g, ["bad", "ok"]);
  await stream.waitFor(forRun(executionId, "TaskStarted"));
  await stream.waitFor(messageIs("MachineFailed"));
  const test = await call(g.url, "POST", "/redfish/v1/EventService/Actions/EventService.SubmitTestEvent", { body: {} });
  t.equal(test.status, 204);
  // One stream is one ordered socket: once the test event, sent after the run ended, is here, so is everything before it.
  await stream.waitFor(messageIs("TestEvent"));
  t.same(
    stream.events.map((e) => String(e.record.MessageId)),
    ["TaskEvent.1.0.4.TaskStarted", "Shoal.1.0.0.MachineFailed", "Shoal.1.0.0.TestEvent"],
  );

  const bad = await call(g.url, "GET", `${SSE}?$filter=${encodeURIComponent("Severity eq 'OK'")}`);
  t.equal(bad.status, 400);
  t.match(bad.text, /QueryParameterValueTypeError/);
  const job = await openSse(g.url, `${SSE}?$filter=${encodeURIComponent(`OriginResource eq '/MultiFish/v1/JobService/Jobs/nope' and SubordinateResources eq true`)}`);
  t.teardown(() => job.close());
  t.equal(job.status, 200);
});

t.test("closing the gateway ends open streams", async (t) => {
  const g = await startGateway({ defineActions: defineWork });
  const stream = await openSse(g.url, SSE);
  await g.close();
  t.pass("closed with a stream open");
  stream.close();
});

t.test("job life on the stream: changed, paused with its reason, resumed, removed", async (t) => {
  const g = await start(t);
  const stream = await openSse(g.url, `${SSE}?$filter=${encodeURIComponent("ResourceType eq 'Job'")}`);
  t.teardown(() => stream.close());
  const job = await g.scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["a"] }] });
  await g.scheduler.updateJob(job.id, { description: "now described" });
  await g.scheduler.pauseJob(job.id, { reason: "change freeze" });
  await g.scheduler.resumeJob(job.id);
  await g.scheduler.deleteJob(job.id);
  await stream.waitFor(messageIs("ResourceRemoved"));
  t.same(
    stream.events.map((e) => [String(e.record.MessageId), e.record.MessageArgs]),
    [
      ["ResourceEvent.1.3.0.ResourceCreated", []],
      ["ResourceEvent.1.3.0.ResourceChanged", []],
      ["Shoal.1.0.0.JobPaused", [job.id, "change freeze"]],
      ["Shoal.1.0.0.JobResumed", [job.id]],
      ["ResourceEvent.1.3.0.ResourceRemoved", []],
    ],
  );
  t.match(stream.events[2]!.record, { Severity: "Warning", Message: `The job '${job.id}' was paused: change freeze.`, Oem: { Shoal: { JobName: "j" } } });
});
