import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { startSimulatedBmcs, type SimulatedFleet } from "../sim/fleet.js";
import { tempDir } from "../helpers/temp-dir.js";
import { call } from "./helpers/http.js";
import { startMain, type MainProcess } from "./helpers/main-process.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Registers the fleet, creates a Manual job over it (targets in fleet order) and triggers it; pool of 1, so one PATCH at a time. */
async function startRun(url: string, fleet: SimulatedFleet): Promise<{ jobId: string; executionId: string }> {
  for (const m of fleet.machines()) {
    const reply = await call(url, "POST", "/MultiFish/v1/Platform", {
      body: { Id: m.id, Type: "Extend", Endpoint: m.endpoint, Username: m.username, Password: m.password, HTTPClientTimeout: 60 },
    });
    if (reply.status !== 201) throw new Error(`register: ${reply.status}`);
  }
  const job = await call(url, "POST", JOBS, {
    body: { Name: "cut", Machines: fleet.machines().map((m) => m.id), Action: "PatchProfile", Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } },
  });
  const jobId = job.json.Id as string;
  const triggered = await call(url, "POST", `${JOBS}/${jobId}/Actions/Trigger`, { body: {} });
  return { jobId, executionId: triggered.json.Id as string };
}

function statuses(execution: Record<string, unknown>): string[] {
  const steps = execution.Steps as { Machines: { Status: string }[] }[];
  return steps[0]!.Machines.map((m) => m.Status);
}

function killOnTeardown(t: { teardown(fn: () => void): void }, main: MainProcess): void {
  t.teardown(() => {
    if (main.child.exitCode === null) main.child.kill("SIGKILL");
  });
}

t.test("SIGTERM mid-run: the machine whose PATCH was out is Unknown (not Cancelled), the ones never started Cancelled, health Warning", async (t) => {
  const dir = tempDir("shoal-main-cut-");
  const env = { DATA_DIR: join(dir, "data"), LOGS_DIR: join(dir, "logs"), SHUTDOWN_TIMEOUT: "0", WORKER_POOL_SIZE: "1", LOG_LEVEL: "warn" };
  const fleet = await startSimulatedBmcs(3);
  t.teardown(() => fleet.close());
  for (const bmc of fleet.bmcs) await bmc.setFault({ kind: "hang", methods: ["PATCH"] });

  const first = await startMain(env);
  killOnTeardown(t, first);
  const { jobId, executionId } = await startRun(first.url, fleet);
  await until("the first PATCH to hang", () => fleet.bmcs[0]!.stats.hanging === 1);
  first.child.kill("SIGTERM");
  t.equal(await first.exited, 0);

  const second = await startMain(env);
  killOnTeardown(t, second);
  const execution = (await call(second.url, "GET", `${JOBS}/${jobId}/Executions/${executionId}`)).json;
  t.match(execution, { State: "Cancelled", Reason: "SchedulerStopped", Health: "Warning" });
  t.same(statuses(execution), ["Unknown", "Cancelled", "Cancelled"]);
  const machine = (execution.Steps as { Machines: Record<string, unknown>[] }[])[0]!.Machines[0]!;
  t.match(machine, { ErrorType: "Unknown", Message: /request was sent/ });
  second.child.kill("SIGTERM");
  t.equal(await second.exited, 0);
});

t.test("kill -9 mid-run: after restart the Interrupted run lists the machine that had finished, the one in flight Unknown, and its summary file is written", async (t) => {
  const dir = tempDir("shoal-main-kill-");
  const env = { DATA_DIR: join(dir, "data"), LOGS_DIR: join(dir, "logs"), WORKER_POOL_SIZE: "1", LOG_LEVEL: "warn" };
  const fleet = await startSimulatedBmcs(3);
  t.teardown(() => fleet.close());
  await fleet.bmcs[1]!.setFault({ kind: "hang", methods: ["PATCH"] });
  await fleet.bmcs[2]!.setFault({ kind: "hang", methods: ["PATCH"] });

  const first = await startMain(env);
  killOnTeardown(t, first);
  const { jobId, executionId } = await startRun(first.url, fleet);
  await until("the second PATCH to hang", () => fleet.bmcs[1]!.stats.hanging === 1);
  // Written to the journal (so in the file, whatever becomes of the process): the first machine's Success and the second's start.
  const journal = join(dir, "data", "shoal.json.journal");
  const [m0, m1, m2] = fleet.machines().map((m) => m.id);
  await until("both results in the journal", () => {
    const text = existsSync(journal) ? readFileSync(journal, "utf8") : "";
    return text.includes(`"target":"${m0}","status":"Success"`) && text.includes(`"target":"${m1}","status":"Running"`);
  });
  first.child.kill("SIGKILL");
  await first.exited;
  t.notOk(readdirSync(join(dir, "logs")).some((f) => f.endsWith("_summary.json")), "no summary before the restart");

  const second = await startMain(env);
  killOnTeardown(t, second);
  const execution = (await call(second.url, "GET", `${JOBS}/${jobId}/Executions/${executionId}`)).json;
  t.match(execution, { State: "Interrupted", Reason: "ProcessRestarted", Health: "Warning", PercentComplete: 66 });
  t.same(statuses(execution), ["Success", "Unknown", "Cancelled"]);
  t.match(execution.Summary, { Machines: 3, Succeeded: 1 });

  const summaryFile = join(dir, "logs", `${jobId}_${executionId}_summary.json`);
  await until("the summary file", () => existsSync(summaryFile));
  const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as Record<string, unknown>;
  t.match(JSON.stringify(summary), /Interrupted/);
  for (const [id, status] of [[m0, "Success"], [m1, "Unknown"], [m2, "Cancelled"]] as const) {
    t.match(JSON.stringify(summary), new RegExp(`"${id}"[^}]*"${status}"|"${status}"[^}]*"${id}"`), `${id} is ${status} in the summary`);
  }
  second.child.kill("SIGTERM");
  t.equal(await second.exited, 0);
});
