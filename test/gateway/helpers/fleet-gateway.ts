/**
 * A gateway wired as `npm start` wires it (scheduler, registry, Redfish client,
 * BMC actions, result files) in front of a fleet of simulated BMCs, all on
 * 127.0.0.1, with helpers to drive it over HTTP as an operator's script would.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Scheduler } from "../../../src/scheduler/scheduler.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { RedfishClient } from "../../../gateway/bmc/client.js";
import { registerBmcActions } from "../../../gateway/bmc/register.js";
import { MachineRegistry } from "../../../gateway/platform/registry.js";
import { ResultWriter, type ResultWriterOptions } from "../../../gateway/results/result-writer.js";
import { startSimulatedBmcs, type FleetOptions, type SimulatedFleet } from "../../sim/fleet.js";
import { call, startGateway, type Reply, type Running } from "./http.js";
import type { GatewayConfig } from "../../../gateway/config.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { until } from "../../helpers/until.js";

export const JOBS = "/MultiFish/v1/JobService/Jobs";
const FINAL = ["Completed", "Failed", "Cancelled", "Skipped", "Interrupted", "Halted"];

export interface FleetGateway {
  fleet: SimulatedFleet;
  g: Running;
  scheduler: Scheduler;
  client: RedfishClient;
  logsDir: string;
  /** Registers every simulated BMC over POST /Platform, with `extra` (or `extra(id)`) merged into each body. */
  registerAll(extra?: Record<string, unknown> | ((id: string) => Record<string, unknown>)): Promise<void>;
  /** POSTs a job body; resolves with its Id (throws with the reply on anything but 201). */
  createJob(body: Record<string, unknown>): Promise<string>;
  /** Triggers a job; resolves with the 202 reply (execution in the body). */
  trigger(jobId: string): Promise<Reply>;
  /** Polls the execution resource until it reaches a final state (default deadline 60 s, a safety net). */
  waitForEnd(jobId: string, executionId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  resultFiles(): string[];
  readResult(name: string): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startFleetGateway(
  count: number,
  options: { fleet?: FleetOptions; workerPoolSize?: number; results?: Omit<ResultWriterOptions, "dir">; config?: Partial<GatewayConfig> } = {},
): Promise<FleetGateway> {
  const fleet = await startSimulatedBmcs(count, options.fleet);
  const logsDir = tempDir("shoal-results-");
  const store = new MemoryStore();
  const scheduler = new Scheduler({ store, timeZone: "UTC", workerPoolSize: options.workerPoolSize ?? 20 });
  const registry = new MachineRegistry(store);
  // As main.ts makes it: BMC requests and actions on the BMC I/O thread.
  const client = new RedfishClient({ ioThread: true });
  registerBmcActions(scheduler, { registry, client, results: new ResultWriter({ ...options.results, dir: logsDir }) });
  const g = await startGateway({ scheduler, store, registry, client, ...(options.config && { config: options.config }) });

  const fail = (what: string, reply: Reply): never => {
    throw new Error(`${what}: HTTP ${reply.status} ${reply.text.slice(0, 500)}`);
  };

  return {
    fleet,
    g,
    scheduler,
    client,
    logsDir,
    async registerAll(extra = {}) {
      for (const m of fleet.machines()) {
        const reply = await call(g.url, "POST", "/MultiFish/v1/Platform", {
          body: {
            Id: m.id,
            Type: m.type,
            Endpoint: m.endpoint,
            Username: m.username,
            Password: m.password,
            // Generous: a healthy BMC on a busy machine must not time out; tests that want a timeout set a short one.
            HTTPClientTimeout: 60,
            ...(typeof extra === "function" ? extra(m.id) : extra),
          },
        });
        if (reply.status !== 201) fail(`register ${m.id}`, reply);
      }
    },
    async createJob(body) {
      const reply = await call(g.url, "POST", JOBS, { body });
      if (reply.status !== 201) fail("create job", reply);
      return reply.json.Id as string;
    },
    async trigger(jobId) {
      const reply = await call(g.url, "POST", `${JOBS}/${jobId}/Actions/Trigger`, { body: {} });
      if (reply.status !== 202) fail("trigger", reply);
      return reply;
    },
    async waitForEnd(jobId, executionId, timeoutMs = 60_000) {
      return until(
        async () => {
          const reply = await call(g.url, "GET", `${JOBS}/${jobId}/Executions/${executionId}`);
          if (reply.status !== 200) fail("read execution", reply);
          return FINAL.includes(reply.json.State as string) ? reply.json : undefined;
        },
        { timeoutMs, intervalMs: 50, what: `execution ${executionId} to end` },
      );
    },
    resultFiles() {
      return readdirSync(logsDir).filter((f) => f.endsWith(".json")).sort();
    },
    readResult(name) {
      return JSON.parse(readFileSync(join(logsDir, name), "utf8")) as Record<string, unknown>;
    },
    async close() {
      await g.close();
      await client.close();
      await fleet.close();
    },
  };
}

/** Every machine entry of an execution resource, across its steps. */
export function executionMachines(execution: Record<string, unknown>): Record<string, unknown>[] {
  const steps = (execution.Steps ?? []) as { Machines?: Record<string, unknown>[] }[];
  return steps.flatMap((s) => s.Machines ?? []);
}
