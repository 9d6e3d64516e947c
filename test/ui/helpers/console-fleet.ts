/**
 * The gateway wired as `npm start` wires it, in front of simulated BMCs, for
 * the console's browser tests and for looking at the console by hand
 * (serve-fleet.ts). One BMC can be told to refuse PATCHes, so runs have a
 * failed machine with the BMC's own message.
 */
import { Scheduler } from "../../../src/scheduler/scheduler.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { RedfishClient } from "../../../gateway/bmc/client.js";
import { registerBmcActions } from "../../../gateway/bmc/register.js";
import type { GatewayConfig } from "../../../gateway/config.js";
import { MachineRegistry } from "../../../gateway/platform/registry.js";
import { ResultWriter } from "../../../gateway/results/result-writer.js";
import { startSimulatedBmcs, type SimulatedFleet } from "../../sim/fleet.js";
import { call, startGateway, type Reply, type Running } from "../../gateway/helpers/http.js";
import { tempDir } from "../../helpers/temp-dir.js";

export interface ConsoleFleet {
  fleet: SimulatedFleet;
  g: Running;
  /** Base URL of the gateway, e.g. http://127.0.0.1:41234 */
  url: string;
  /** One request to the gateway, with the configured credentials. */
  api(method: string, path: string, body?: unknown): Promise<Reply>;
  /** Registers the simulated BMCs as machines `sim-1`... */
  registerAll(): Promise<void>;
  close(): Promise<void>;
}

export interface ConsoleFleetOptions {
  count?: number;
  /** Gateway settings (auth, for instance). */
  config?: Partial<GatewayConfig>;
  /** Authorization header the helper's own requests carry. */
  authorization?: string;
  /** Milliseconds each BMC takes to answer, so runs last long enough to watch. */
  latencyMs?: number;
}

export async function startConsoleFleet(options: ConsoleFleetOptions = {}): Promise<ConsoleFleet> {
  const fleet = await startSimulatedBmcs(options.count ?? 4, { latencyMs: options.latencyMs ?? 0 });
  const store = new MemoryStore();
  const scheduler = new Scheduler({ store, timeZone: "UTC", workerPoolSize: 10 });
  const registry = new MachineRegistry(store);
  const client = new RedfishClient();
  registerBmcActions(scheduler, { registry, client, results: new ResultWriter({ dir: tempDir("shoal-console-results-") }) });
  const g = await startGateway({ scheduler, store, registry, client, ...(options.config ? { config: options.config } : {}) });
  const headers: Record<string, string> = options.authorization ? { authorization: options.authorization } : {};
  const api = (method: string, path: string, body?: unknown): Promise<Reply> =>
    call(g.url, method, path, { headers, ...(body !== undefined ? { body } : {}) });

  return {
    fleet,
    g,
    url: g.url,
    api,
    async registerAll() {
      for (const m of fleet.machines()) {
        const reply = await api("POST", "/MultiFish/v1/Platform", {
          Id: m.id,
          Name: `Rack 7 node ${m.id.replace(/\D/g, "")}`,
          Type: m.type,
          Endpoint: m.endpoint,
          Username: m.username,
          Password: m.password,
          HTTPClientTimeout: 5,
        });
        if (reply.status !== 201) throw new Error(`register ${m.id}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
      }
    },
    async close() {
      await g.close();
      await client.close();
      await fleet.close();
    },
  };
}
