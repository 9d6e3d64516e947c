import t, { type Test } from "tap";
import { DEFAULT_CONFIG, type EventsConfig } from "../../../gateway/config.js";
import { verify } from "../../../gateway/events/signature.js";
import type { Scheduler } from "../../../src/scheduler/scheduler.js";
import { call, startGateway, type Running } from "../helpers/http.js";
import { messageIdOf, startReceiver, type Receiver } from "./receiver.js";

const SUBS = "/redfish/v1/EventService/Subscriptions";
const SECRET = "a-signing-secret-of-some-length";

function defineWork(scheduler: Scheduler): void {
  scheduler.defineAction("work", {
    async run(ctx) {
      if (ctx.target === "bad") throw Object.assign(new Error("the BMC said no"), { type: "HttpError" });
      return { message: "ok" };
    },
  });
}

async function setup(t: Test, events: Partial<EventsConfig> = {}): Promise<{ g: Running; hook: Receiver }> {
  const g = await startGateway({ defineActions: defineWork, config: { events: { ...DEFAULT_CONFIG.events, deliveryRetryIntervalSeconds: 0.01, ...events } } });
  const hook = await startReceiver();
  t.teardown(async () => {
    await g.close();
    await hook.close();
  });
  return { g, hook };
}

async function subscribe(g: Running, body: Record<string, unknown>): Promise<string> {
  const reply = await call(g.url, "POST", SUBS, { body });
  if (reply.status !== 201) throw new Error(`subscribe: ${reply.status} ${reply.text}`);
  return reply.json.Id as string;
}

async function runJob(g: Running, targets: string[], name = "rollout"): Promise<{ jobId: string; executionId: string }> {
  const job = await g.scheduler.createJob({ name, schedule: { type: "Manual" }, steps: [{ action: "work", targets, continueOnFailure: true }] });
  const execution = await g.scheduler.trigger(job.id);
  await g.scheduler.waitForExecution(execution.id);
  return { jobId: job.id, executionId: execution.id };
}

t.test("a webhook gets each event as a Redfish Event, signed over its id and body, with its headers; secrets never read back", async (t) => {
  const { g, hook } = await setup(t);
  const id = await subscribe(g, {
    Destination: hook.url,
    Context: "ops-room",
    HttpHeaders: [{ Authorization: "Bearer receiver-token" }],
    Oem: { Shoal: { SigningSecret: SECRET } },
  });
  const { executionId } = await runJob(g, ["a"]);
  await hook.waitFor((all) => all.some((r) => messageIdOf(r).endsWith("TaskCompletedOK")));
  for (const r of hook.received) {
    const eventId = String(r.headers["x-shoal-event-id"]);
    t.ok(verify(SECRET, eventId, r.body, String(r.headers["x-shoal-signature"])), `signature of ${messageIdOf(r)} verifies`);
    t.equal(r.headers.authorization, "Bearer receiver-token");
    t.match(r.json, { "@odata.type": /^#Event\./, Id: eventId, Context: "ops-room", Events: [{ EventId: eventId, Context: "ops-room" }] });
  }
  t.notOk(verify("another-secret-entirely", String(hook.received[0]!.headers["x-shoal-event-id"]), hook.received[0]!.body, String(hook.received[0]!.headers["x-shoal-signature"])));
  t.same(
    hook.received.map(messageIdOf),
    ["ResourceEvent.1.3.0.ResourceCreated", "TaskEvent.1.0.4.TaskStarted", "TaskEvent.1.0.4.TaskProgressChanged", "TaskEvent.1.0.4.TaskCompletedOK"],
    "in the order they happened",
  );
  t.match(hook.received[3]!.json, { Events: [{ MessageArgs: [executionId] }] });

  const read = await call(g.url, "GET", `${SUBS}/${id}`);
  t.match(read.json, { Id: id, Destination: hook.url, HttpHeaders: null, Status: { State: "Enabled", Health: "OK" }, Oem: { Shoal: { SigningSecret: null, SigningSecretSet: true, PendingEvents: 0 } } });
  t.notMatch(read.text, /receiver-token|a-signing-secret/);
  const list = await call(g.url, "GET", SUBS);
  t.same(list.json.Members, [{ "@odata.id": `${SUBS}/${id}` }]);
  t.equal((await call(g.url, "DELETE", `${SUBS}/${id}`)).status, 200);
  t.equal((await call(g.url, "GET", `${SUBS}/${id}`)).status, 404);
});

t.test("a receiver answering 500 twice gets the event on the third try, and the order holds", async (t) => {
  const { g, hook } = await setup(t);
  let calls = 0;
  hook.answer = () => (++calls <= 2 ? 500 : 200);
  await subscribe(g, { Destination: hook.url, MessageIds: ["TaskEvent.TaskStarted", "TaskEvent.TaskCompletedOK"] });
  await runJob(g, ["a"]);
  await hook.waitFor((all) => all.filter((r) => r.answered === 200).length === 2);
  t.same(hook.received.map((r) => [messageIdOf(r), r.answered]), [
    ["TaskEvent.1.0.4.TaskStarted", 500],
    ["TaskEvent.1.0.4.TaskStarted", 500],
    ["TaskEvent.1.0.4.TaskStarted", 200],
    ["TaskEvent.1.0.4.TaskCompletedOK", 200],
  ]);
  t.equal(hook.received[0]!.headers["x-shoal-event-id"], hook.received[2]!.headers["x-shoal-event-id"], "a retry carries the same event id");
});

t.test("a destination that keeps failing is suspended (StandbyOffline), keeps its backlog, and delivers it in order once resumed", async (t) => {
  const { g, hook } = await setup(t, { deliveryRetryAttempts: 2 });
  hook.answer = () => 503;
  const id = await subscribe(g, { Destination: hook.url, RegistryPrefixes: ["TaskEvent"] });
  await runJob(g, ["a"]);
  let sub = await call(g.url, "GET", `${SUBS}/${id}`);
  for (let i = 0; i < 400 && sub.json.Status && (sub.json.Status as { State: string }).State !== "StandbyOffline"; i++) {
    await new Promise((r) => setTimeout(r, 25));
    sub = await call(g.url, "GET", `${SUBS}/${id}`);
  }
  t.match(sub.json, { Status: { State: "StandbyOffline", Health: "Critical" }, Oem: { Shoal: { LastError: /HTTP 503/ } } });
  t.equal(hook.received.length, 2, "two attempts, then no more");
  for (let i = 0; i < 200 && (sub.json.Oem as { Shoal: { PendingEvents: number } }).Shoal.PendingEvents < 3; i++) {
    await new Promise((r) => setTimeout(r, 25));
    sub = await call(g.url, "GET", `${SUBS}/${id}`);
  }
  t.equal((sub.json.Oem as { Shoal: { PendingEvents: number } }).Shoal.PendingEvents, 3, "started, progress and completed wait");

  hook.answer = () => 204;
  const resumed = await call(g.url, "POST", `${SUBS}/${id}/Actions/EventDestination.ResumeSubscription`, { body: {} });
  t.match(resumed.json, { Status: { State: "Enabled" } });
  await hook.waitFor((all) => all.filter((r) => r.answered === 204).length === 3);
  t.same(
    hook.received.filter((r) => r.answered === 204).map(messageIdOf),
    ["TaskEvent.1.0.4.TaskStarted", "TaskEvent.1.0.4.TaskProgressChanged", "TaskEvent.1.0.4.TaskCompletedOK"],
  );
});

t.test("OriginResources takes one job's events (and its runs'); Slack format posts {text, blocks} naming the failed machines", async (t) => {
  const { g, hook } = await setup(t);
  const other = await g.scheduler.createJob({ name: "other", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["a"] }] });
  const watched = await g.scheduler.createJob({ name: "nightly fans", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["a", "bad"], continueOnFailure: true }] });
  await subscribe(g, {
    Destination: hook.url,
    OriginResources: [{ "@odata.id": `/MultiFish/v1/JobService/Jobs/${watched.id}` }],
    MessageIds: ["TaskEvent.TaskCompletedWarning"],
    Oem: { Shoal: { Format: "Slack" } },
  });
  await g.scheduler.waitForExecution((await g.scheduler.trigger(other.id)).id);
  const run = await g.scheduler.trigger(watched.id);
  await g.scheduler.waitForExecution(run.id);
  await hook.waitFor((all) => all.length >= 1);
  t.equal(hook.received.length, 1);
  const body = hook.received[0]!.json;
  t.match(body.text, /Warning: The run '.+' completed, and some machines failed/);
  const text = JSON.stringify(body.blocks);
  t.match(text, /nightly fans/);
  t.match(text, new RegExp(run.id));
  t.match(text, /bad \(work\): HttpError: the BMC said no/);
});

t.test("bad subscriptions are 400s naming the property; an e-mail one needs an SMTP relay; unknown ids 404", async (t) => {
  const { g } = await setup(t);
  const noUrl = await call(g.url, "POST", SUBS, { body: { Destination: "ftp://example.org/x" } });
  t.equal(noUrl.status, 400);
  t.match(noUrl.text, /Destination/);
  const mismatch = await call(g.url, "POST", SUBS, { body: { Destination: "mailto:ops@example.org", Oem: { Shoal: { Format: "Slack" } } } });
  t.equal(mismatch.status, 400);
  t.match(mismatch.text, /PropertyValueConflict/);
  const noSmtp = await call(g.url, "POST", SUBS, { body: { Destination: "mailto:ops@example.org", Oem: { Shoal: { Format: "Email" } } } });
  t.equal(noSmtp.status, 400);
  t.match(noSmtp.text, /SMTP_HOST/);
  const reserved = await call(g.url, "POST", SUBS, { body: { Destination: "http://127.0.0.1:9/x", HttpHeaders: [{ "X-Shoal-Signature": "forged" }] } });
  t.equal(reserved.status, 400);
  t.equal((await call(g.url, "GET", `${SUBS}/nope`)).status, 404);
  t.equal((await call(g.url, "DELETE", `${SUBS}/nope`)).status, 404);
});
