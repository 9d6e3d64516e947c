/** A simulated BMC, a client and a context builder for action tests. */
import type { Test } from "tap";
import type { BmcActionContext } from "../../../../gateway/bmc/actions/types.js";
import { RedfishClient } from "../../../../gateway/bmc/client.js";
import { isBmcError, type BmcError } from "../../../../gateway/bmc/errors.js";
import type { Machine } from "../../../../gateway/platform/machine.js";
import { startSimulatedBmc, type SimulatedBmc, type SimulatedBmcOptions } from "../../../sim/simulated-bmc.js";

export interface Harness {
  bmc: SimulatedBmc;
  client: RedfishClient;
  ctx<E>(payload: readonly E[], machine?: Partial<Machine>, signal?: AbortSignal): BmcActionContext<E>;
}

export async function harness(t: Test, options: SimulatedBmcOptions = {}): Promise<Harness> {
  const bmc = await startSimulatedBmc(options);
  const client = new RedfishClient();
  t.teardown(async () => {
    await client.close();
    await bmc.close();
  });
  return {
    bmc,
    client,
    ctx: (payload, machine = {}, signal = new AbortController().signal) => ({
      machine: bmc.machine({ httpClientTimeoutSeconds: 2, ...machine }),
      payload,
      signal,
      client,
    }),
  };
}

export async function rejection(promise: Promise<unknown>): Promise<BmcError> {
  try {
    await promise;
  } catch (error) {
    if (isBmcError(error)) return error;
    throw error;
  }
  throw new Error("expected the action to fail");
}
