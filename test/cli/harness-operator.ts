/**
 * For the in-process CLI tests of the operator's commands: a real gateway
 * (the process `npm start` composes) and simulated BMCs in this process, with
 * `shoal` run through runCli against them. Nothing is spawned.
 */
import { startSimulatedBmcs, type SimulatedFleet } from "../sim/fleet.js";
import { startRealGateway, type RealGateway } from "./e2e-helpers.js";
import { run, type RunOptions, type RunResult } from "./helpers.js";

export interface Bench {
  gateway: RealGateway;
  fleet: SimulatedFleet;
  /** `shoal ...` against the gateway (SHOAL_URL set; more env may be given). */
  shoal(argv: string[], options?: RunOptions): Promise<RunResult>;
  /** Registers the simulated BMCs as machines over the CLI (`machines add --password-stdin`). */
  registerFleet(): Promise<void>;
  close(): Promise<void>;
}

export async function startBench(bmcs = 2): Promise<Bench> {
  const gateway = await startRealGateway();
  const fleet = await startSimulatedBmcs(bmcs);
  const shoal = (argv: string[], options: RunOptions = {}): Promise<RunResult> =>
    run(argv, { ...options, env: { SHOAL_URL: gateway.url, ...options.env } });
  return {
    gateway,
    fleet,
    shoal,
    async registerFleet() {
      for (const b of fleet.bmcs) {
        const r = await shoal(
          ["machines", "add", "--id", b.id, "--endpoint", b.endpoint, "--bmc-user", b.username, "--password-stdin", "--type", "Extend"],
          { stdin: b.password },
        );
        if (r.code !== 0) throw new Error(`registering ${b.id}: ${r.stderr}`);
      }
    },
    async close() {
      await gateway.close();
      await fleet.close();
    },
  };
}
