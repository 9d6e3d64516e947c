import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import { startSimulatedBmcs } from "../sim/fleet.js";
import { call } from "./helpers/http.js";
import { tempDir } from "../helpers/temp-dir.js";
import { until } from "../helpers/until.js";

const MAIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "gateway", "main.js");

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `npm start`'s entry point on a free port with the given state and result folders. */
async function startMain(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env } });
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
    // A safety net, not a timing assertion (node start-up alone can take tens of seconds on a
    // loaded machine): fail with the output, and end the child so the test file can exit.
    setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no listening line: ${output}`));
    }, 150_000).unref();
  });
  return { child, url, output: () => output, exited };
}

t.test("SIGTERM lets a run go on for SHUTDOWN_TIMEOUT, then cancels it, saves it and exits 0; a restart finds it", async (t) => {
  const dir = tempDir("shoal-main-");
  const env = { DATA_DIR: join(dir, "data"), LOGS_DIR: join(dir, "logs"), SHUTDOWN_TIMEOUT: "1", LOG_LEVEL: "warn" };
  const fleet = await startSimulatedBmcs(1);
  t.teardown(() => fleet.close());
  const bmc = fleet.bmcs[0]!;
  await bmc.setFault({ kind: "hang", methods: ["PATCH"] });

  const first = await startMain(env);
  t.teardown(() => {
    if (first.child.exitCode === null) first.child.kill("SIGKILL");
  });
  const m = bmc.machine();
  const registered = await call(first.url, "POST", "/MultiFish/v1/Platform", {
    body: { Id: m.id, Type: "Extend", Endpoint: m.endpoint, Username: m.username, Password: m.password, HTTPClientTimeout: 60 },
  });
  t.equal(registered.status, 201);
  const job = await call(first.url, "POST", "/MultiFish/v1/JobService/Jobs", {
    body: { Name: "stuck", Machines: [m.id], Action: "PatchProfile", Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } },
  });
  const jobId = job.json.Id as string;
  const triggered = await call(first.url, "POST", `/MultiFish/v1/JobService/Jobs/${jobId}/Actions/Trigger`, { body: {} });
  const executionId = triggered.json.Id as string;
  await until(() => bmc.stats.hanging > 0, { what: "the PATCH to be in flight" });
  t.equal(bmc.stats.hanging, 1, "the PATCH is in flight");

  first.child.kill("SIGTERM");
  t.equal(await first.exited, 0, "exit code 0");
  t.notMatch(first.output(), /sim-password/, "the BMC password is never logged");

  const second = await startMain(env);
  t.teardown(() => {
    if (second.child.exitCode === null) second.child.kill("SIGKILL");
  });
  const execution = await call(second.url, "GET", `/MultiFish/v1/JobService/Jobs/${jobId}/Executions/${executionId}`);
  t.match(execution.json, { State: "Cancelled", Reason: "SchedulerStopped" });
  const machine = await call(second.url, "GET", `/MultiFish/v1/Platform/${m.id}`);
  t.match(machine.json, { Id: m.id, Password: null }, "the machine is still registered");
  second.child.kill("SIGTERM");
  t.equal(await second.exited, 0);
});
