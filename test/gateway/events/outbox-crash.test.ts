import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import { startSimulatedBmcs } from "../../sim/fleet.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { call } from "../helpers/http.js";
import { messageIdOf, startReceiver } from "./receiver.js";
import { NODE, nodeArgs } from "../../helpers/node-child.js";

const MAIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "gateway", "main.js");

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  exited: Promise<number | null>;
}

async function startMain(env: Record<string, string>): Promise<Started> {
  const child = spawn(NODE, nodeArgs([MAIN]), { env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env } });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/MultiFish\/v1"/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => reject(new Error(`gateway exited ${code}: ${output}`)));
    setTimeout(() => reject(new Error(`no listening line: ${output}`)), 30_000).unref();
  });
  return { child, url, exited };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last: ${JSON.stringify(value).slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test("events queued while the receiver is down survive a kill -9 of the gateway and arrive after the restart, once per event id", async (t) => {
  const dir = tempDir("shoal-outbox-");
  const env = {
    DATA_DIR: join(dir, "data"),
    LOGS_DIR: join(dir, "logs"),
    LOG_LEVEL: "warn",
    EVENT_DELIVERY_RETRY_INTERVAL: "0.05",
    EVENT_DELIVERY_RETRY_ATTEMPTS: "1000",
  };
  const fleet = await startSimulatedBmcs(1);
  t.teardown(() => fleet.close());
  // Learn a free port, then leave it closed: the receiver is down.
  const probe = await startReceiver();
  const port = probe.port;
  const hookUrl = probe.url;
  await probe.close();

  const first = await startMain(env);
  t.teardown(() => {
    if (first.child.exitCode === null) first.child.kill("SIGKILL");
  });
  const m = fleet.bmcs[0]!.machine();
  t.equal((await call(first.url, "POST", "/MultiFish/v1/Platform", { body: { Id: m.id, Type: "Extend", Endpoint: m.endpoint, Username: m.username, Password: m.password } })).status, 201);
  const sub = await call(first.url, "POST", "/redfish/v1/EventService/Subscriptions", {
    body: { Destination: hookUrl, RegistryPrefixes: ["TaskEvent"], DeliveryRetryPolicy: "RetryForeverWithBackoff" },
  });
  t.equal(sub.status, 201, sub.text);
  const subPath = `/redfish/v1/EventService/Subscriptions/${String(sub.json.Id)}`;
  const job = await call(first.url, "POST", "/MultiFish/v1/JobService/Jobs", {
    body: { Name: "fans", Machines: [m.id], Action: "PatchProfile", Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } },
  });
  const jobId = String(job.json.Id);
  const run = await call(first.url, "POST", `/MultiFish/v1/JobService/Jobs/${jobId}/Actions/Trigger`, { body: {} });
  await until("run ends", () => call(first.url, "GET", `/MultiFish/v1/JobService/Jobs/${jobId}/Executions/${String(run.json.Id)}`), (r) => r.json.State === "Completed");
  const queued = await until(
    "events stored and a delivery failed",
    () => call(first.url, "GET", subPath),
    (r) => {
      const shoal = (r.json.Oem as { Shoal: { PendingEvents: number; LastError: string | null } }).Shoal;
      return shoal.PendingEvents === 3 && shoal.LastError !== null;
    },
  );
  t.match(queued.json, { Status: { State: "Enabled", Health: "Warning" } });

  first.child.kill("SIGKILL");
  await first.exited;

  const hook = await startReceiver(port);
  t.teardown(() => hook.close());
  const second = await startMain(env);
  t.teardown(() => {
    if (second.child.exitCode === null) second.child.kill("SIGKILL");
  });
  await hook.waitFor((all) => all.length >= 3, 30_000);
  await until("the outbox empties", () => call(second.url, "GET", subPath), (r) => (r.json.Oem as { Shoal: { PendingEvents: number } }).Shoal.PendingEvents === 0);
  t.same(hook.received.map(messageIdOf), ["TaskEvent.1.0.4.TaskStarted", "TaskEvent.1.0.4.TaskProgressChanged", "TaskEvent.1.0.4.TaskCompletedOK"], "in order");
  const ids = hook.received.map((r) => String(r.headers["x-shoal-event-id"]));
  t.equal(new Set(ids).size, 3, "once per event id");
  second.child.kill("SIGTERM");
  t.equal(await second.exited, 0);
});
