import t from "tap";
import type { Scheduler } from "../../../src/scheduler/scheduler.js";
import { call, startGateway } from "../helpers/http.js";
import { startReceiver } from "./receiver.js";
import { openSse } from "./sse-client.js";

const MACHINES = 200;

function defineWork(scheduler: Scheduler): void {
  scheduler.defineAction("work", { run: async () => ({ message: "ok" }) });
}

/** shoal_events_total by message id: every event the gateway published, whoever it was for. */
async function published(url: string): Promise<Map<string, number>> {
  const scraped = await call(url, "GET", "/metrics");
  const counts = new Map<string, number>();
  for (const m of scraped.text.matchAll(/^shoal_events_total\{message_id="([^"]+)"\} (\d+)$/gm)) counts.set(m[1]!, Number(m[2]));
  return counts;
}

function sum(counts: Map<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

t.test("streams and subscriptions that do not ask for run-log lines cost no per-machine events: a run publishes only its life events, and the lines only once a stream names them", async (t) => {
  const g = await startGateway({ defineActions: defineWork });
  const hook = await startReceiver();
  const streams = await Promise.all([openSse(g.url, "/redfish/v1/EventService/SSE"), openSse(g.url, "/redfish/v1/EventService/SSE"), openSse(g.url, "/redfish/v1/EventService/SSE")]);
  t.teardown(async () => {
    for (const s of streams) s.close();
    await g.close();
    await hook.close();
  });
  for (let i = 0; i < 2; i++) {
    const reply = await call(g.url, "POST", "/redfish/v1/EventService/Subscriptions", { body: { Destination: hook.url } });
    t.equal(reply.status, 201);
  }
  const targets = Array.from({ length: MACHINES }, (_, i) => `m${i}`);
  const job = await g.scheduler.createJob({ name: "rollout", schedule: { type: "Manual" }, steps: [{ action: "work", targets }] });
  const run = async (): Promise<void> => {
    const execution = await g.scheduler.trigger(job.id);
    const ended = await g.scheduler.waitForExecution(execution.id);
    t.equal(ended.state, "Completed");
  };

  const before = sum(await published(g.url));
  await run();
  const attached = await published(g.url);
  t.equal(attached.get("Shoal.1.0.0.MachineLog") ?? 0, 0, "no run-log line was published for streams and subscriptions that did not name them");
  t.ok(sum(attached) - before < MACHINES / 4, `a ${MACHINES}-machine run published a handful of events, not one per machine (${sum(attached) - before})`);

  const logStream = await openSse(g.url, `/redfish/v1/EventService/SSE?$filter=${encodeURIComponent("MessageId eq 'Shoal.MachineLog'")}`);
  t.teardown(() => logStream.close());
  await run();
  t.ok((await published(g.url)).get("Shoal.1.0.0.MachineLog")! >= MACHINES, "once a stream names them, every machine's lines are published");
});
