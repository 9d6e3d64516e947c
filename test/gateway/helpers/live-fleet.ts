/**
 * A gateway wired as `npm start` wires it, in front of simulated OpenBMC
 * (Extend) BMCs and one standard Redfish (Base) BMC, all registered over HTTP:
 * for the tests of the live views of machines.
 */
import { SimulatedBmc } from "../../sim/simulated-bmc.js";
import { startFleetGateway, type FleetGateway } from "./fleet-gateway.js";
import { call, type Reply } from "./http.js";

export const PLATFORM = "/MultiFish/v1/Platform";

export interface LiveFleet {
  f: FleetGateway;
  /** The gateway's base URL. */
  url: string;
  /** An OpenBMC simulator by id ("sim-1"...). */
  bmc(id: string): SimulatedBmc;
  /** The standard Redfish BMC, registered as machine "base-1" with Type Base. */
  base: SimulatedBmc;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

/** How many PATCHes a BMC has received (whatever it answered). */
export function patchesSeen(bmc: SimulatedBmc): number {
  return bmc.stats.byMethod.PATCH ?? 0;
}

export async function startLiveFleet(count: number): Promise<LiveFleet> {
  const f = await startFleetGateway(count);
  const base = await new SimulatedBmc({ id: "base-1", type: "Base" }).start();
  try {
    await f.registerAll();
    const reply = await call(f.g.url, "POST", PLATFORM, {
      body: { Id: base.id, Type: "Base", Endpoint: base.endpoint, Username: base.username, Password: base.password, HTTPClientTimeout: 60 },
    });
    if (reply.status !== 201) throw new Error(`register ${base.id}: HTTP ${reply.status} ${reply.text}`);
  } catch (error) {
    await f.close();
    await base.close();
    throw error;
  }
  const url = f.g.url;
  return {
    f,
    url,
    base,
    bmc(id) {
      const found = f.fleet.byId(id);
      if (!found) throw new Error(`no simulated BMC ${id}`);
      return found;
    },
    get: (path, headers = {}) => call(url, "GET", path, { headers }),
    patch: (path, body, headers = {}) => call(url, "PATCH", path, { body, headers }),
    async close() {
      await f.close();
      await base.close();
    },
  };
}
