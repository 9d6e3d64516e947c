/**
 * `npm run demo`: the whole product in one process, on loopback only.
 *
 * Starts 20 simulated OpenBMC machines and the gateway, registers the machines
 * over the REST API, creates a weekday job and a one-off job due in a few
 * seconds, triggers a third job by hand, shows each run as it finishes and
 * where its result files are, then shuts everything down.
 *
 * DEMO_ONE_OFF_SECONDS (default 5) sets how far ahead the one-off job is due.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { request } from "undici";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { FileStore } from "../../src/store/file-store.js";
import { createGateway } from "../../gateway/app.js";
import { RedfishClient } from "../../gateway/bmc/client.js";
import { registerBmcActions } from "../../gateway/bmc/register.js";
import { createLogger } from "../../gateway/log.js";
import { MachineRegistry } from "../../gateway/platform/registry.js";
import { ResultWriter } from "../../gateway/results/result-writer.js";
import { startSimulatedBmcs } from "../sim/fleet.js";

const MACHINES = 20;
const oneOffSeconds = Number(process.env.DEMO_ONE_OFF_SECONDS ?? 5);

type Json = Record<string, unknown>;

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  const logsDir = resolve(process.env.LOGS_DIR ?? join("logs", `demo-${stamp}`));
  const dataDir = mkdtempSync(join(tmpdir(), "shoal-demo-"));

  const fleet = await startSimulatedBmcs(MACHINES, { latencyMs: 15 });
  const store = new FileStore({ path: join(dataDir, "shoal.json") });
  const scheduler = new Scheduler({ store, workerPoolSize: 5, timeZone: "UTC" });
  const registry = new MachineRegistry(store);
  const client = new RedfishClient();
  registerBmcActions(scheduler, { registry, client, results: new ResultWriter({ dir: logsDir }) });
  await scheduler.start();
  const gateway = createGateway({ scheduler, store, registry, client, log: createLogger({ level: "warn" }) });
  const { url } = await gateway.listen(0, "127.0.0.1");

  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Json; location?: string }> => {
    const res = await request(`${url}${path}`, {
      method: method as "GET",
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    const location = res.headers["location"];
    return { status: res.statusCode, json: text ? (JSON.parse(text) as Json) : {}, ...(typeof location === "string" ? { location } : {}) };
  };

  say(`Shoal demo: gateway at ${url}/MultiFish/v1, ${MACHINES} simulated BMCs on 127.0.0.1`);
  say(`State file: ${join(dataDir, "shoal.json")} (a temporary one, removed at the end)`);
  say(`Result files: ${relative(process.cwd(), logsDir) || logsDir}/`);
  say();

  for (const m of fleet.machines()) {
    const reply = await api("POST", "/MultiFish/v1/Platform", {
      Id: m.id,
      Name: m.name,
      Type: "Extend",
      Endpoint: m.endpoint,
      Username: m.username,
      Password: m.password,
    });
    if (reply.status !== 201) throw new Error(`registering ${m.id}: ${reply.status} ${JSON.stringify(reply.json)}`);
  }
  say(`POST /MultiFish/v1/Platform x${MACHINES}: machines registered (passwords are write-only; GET shows "Password": null)`);
  const machines = fleet.bmcs.map((b) => b.id);

  const createJob = async (body: Json): Promise<Json> => {
    const reply = await api("POST", "/MultiFish/v1/JobService/Jobs", body);
    if (reply.status !== 201) throw new Error(`creating ${String(body.Name)}: ${reply.status} ${JSON.stringify(reply.json)}`);
    say(`POST /MultiFish/v1/JobService/Jobs -> 201 ${reply.location ?? ""}`);
    say(`  "${String(reply.json.Name)}": ${String(reply.json.ScheduleDescription)}; next run ${String(reply.json.NextRunTime ?? "none")}`);
    return reply.json;
  };

  const weekday = await createJob({
    Name: "Weeknight PowerSaver",
    Machines: machines,
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    Schedule: { Type: "Continuous", Time: "22:00:00", Period: { DaysOfWeek: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] } },
  });

  const due = new Date(Math.ceil((Date.now() + oneOffSeconds * 1000) / 1000) * 1000);
  const oneOff = await createJob({
    Name: "One-off fan zone floor",
    Machines: machines.slice(0, 10),
    Action: "PatchFanZone",
    Payload: [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 90, MinThermalOutput: 30 } }],
    Schedule: { Type: "Once", Date: due.toISOString().slice(0, 10), Time: due.toISOString().slice(11, 19), TimeZone: "UTC" },
  });

  const manual = await createJob({
    Name: "Performance now",
    Machines: machines,
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "Performance" } }],
    Schedule: { Type: "Manual" },
  });
  const triggered = await api("POST", `/MultiFish/v1/JobService/Jobs/${String(manual.Id)}/Actions/Trigger`, {});
  say(`POST .../Jobs/${String(manual.Id)}/Actions/Trigger -> ${triggered.status} ${triggered.location ?? ""}`);

  const waitFor = async (jobId: string, label: string): Promise<void> => {
    for (;;) {
      const list = await api("GET", `/MultiFish/v1/JobService/Jobs/${jobId}/Executions`);
      const first = (list.json.Members as { "@odata.id": string }[] | undefined)?.[0];
      if (first) {
        const execution = await api("GET", first["@odata.id"]);
        const state = String(execution.json.State);
        if (!["Pending", "Running"].includes(state)) {
          const summary = execution.json.Summary as { Machines: number; Succeeded: number; Failed: number };
          const machinesOut = ((execution.json.Steps as { Machines: Json[] }[])[0]?.Machines ?? []) as Json[];
          say();
          say(`${label}: ${state}, health ${String(execution.json.Health)}, ${summary.Succeeded}/${summary.Machines} machines succeeded (trigger ${String(execution.json.Trigger)})`);
          say(`  execution: ${first["@odata.id"]}`);
          say(`  e.g. ${String(machinesOut[0]?.MachineId)}: ${String(machinesOut[0]?.Message)} -> ${relative(process.cwd(), join(logsDir, String(machinesOut[0]?.ResultFile)))}`);
          return;
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  await waitFor(String(manual.Id), `"${String(manual.Name)}"`);
  say();
  say(`Waiting for "${String(oneOff.Name)}", due at ${due.toISOString()}...`);
  await waitFor(String(oneOff.Id), `"${String(oneOff.Name)}"`);
  const after = await api("GET", `/MultiFish/v1/JobService/Jobs/${String(oneOff.Id)}`);
  say(`  the one-off job is now ${String(after.json.Status)}, next run ${String(after.json.NextRunTime ?? "none")}`);
  const weekdayNow = await api("GET", `/MultiFish/v1/JobService/Jobs/${String(weekday.Id)}`);
  say(`"${String(weekday.Name)}" waits for ${String(weekdayNow.json.NextRunTime)}`);

  const profiles = new Set(fleet.bmcs.map((b) => b.state.managers.bmc?.fan?.profile));
  say();
  say(`Fan profiles now on the simulated BMCs: ${[...profiles].join(", ")}`);
  say(`Read a result: jq . ${relative(process.cwd(), logsDir)}/*_summary.json`);

  await gateway.close();
  await scheduler.stop({ graceMs: 1000 });
  await store.close();
  await client.close();
  await fleet.close();
  rmSync(dataDir, { recursive: true, force: true });
  say("Demo finished; everything is shut down.");
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
