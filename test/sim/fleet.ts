/**
 * Many simulated BMCs in one process, one port each (see simulated-bmc.ts for
 * why). Used by the tests, the bench (`lib/test/sim/fleet.js`) and the demo.
 */
import type { Machine } from "../../gateway/platform/machine.js";
import { SimulatedBmc, freshStats, type SimStats, type SimulatedBmcOptions } from "./simulated-bmc.js";

export interface FleetOptions extends Omit<SimulatedBmcOptions, "id" | "port"> {
  /** BMC ids are `${idPrefix}${n}`, n from 1. Default "sim-". */
  idPrefix?: string;
}

export interface SimulatedFleet {
  bmcs: SimulatedBmc[];
  byId(id: string): SimulatedBmc | undefined;
  /** Machine records reaching every BMC, with `overrides` applied to each. */
  machines(overrides?: Partial<Machine>): Machine[];
  /** Counters summed over the fleet; `maxInFlightPatches` and `maxInFlightRequests` are the largest seen by any one BMC. */
  totals(): Omit<SimStats, "byMethod">;
  /** Holds every BMC's PATCHes until the returned function is called (see SimulatedBmc.holdPatches). */
  holdPatches(): () => void;
  close(): Promise<void>;
}

export async function startSimulatedBmcs(count: number, options: FleetOptions = {}): Promise<SimulatedFleet> {
  const { idPrefix = "sim-", ...bmcOptions } = options;
  const bmcs = Array.from({ length: count }, (_, i) => new SimulatedBmc({ ...bmcOptions, id: `${idPrefix}${i + 1}` }));
  try {
    await Promise.all(bmcs.map((b) => b.start()));
  } catch (error) {
    await Promise.all(bmcs.map((b) => b.close()));
    throw error;
  }
  const index = new Map(bmcs.map((b) => [b.id, b]));
  return {
    bmcs,
    byId: (id) => index.get(id),
    machines: (overrides = {}) => bmcs.map((b) => b.machine(overrides)),
    totals() {
      const { byMethod: _byMethod, ...t } = freshStats();
      const counters = Object.keys(t) as (keyof typeof t)[];
      for (const b of bmcs) {
        for (const key of counters) {
          // The peak is per BMC: the largest any one saw, not a sum.
          t[key] = key === "maxInFlightPatches" || key === "maxInFlightRequests" ? Math.max(t[key], b.stats[key]) : t[key] + b.stats[key];
        }
      }
      return t;
    },
    holdPatches() {
      const releases = bmcs.map((b) => b.holdPatches());
      return () => releases.forEach((release) => release());
    },
    async close() {
      await Promise.all(bmcs.map((b) => b.close()));
    },
  };
}
