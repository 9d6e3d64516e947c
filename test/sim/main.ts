/**
 * Starts simulated BMCs and prints how to reach them, for the demo and for
 * trying the gateway by hand:
 *
 *   node lib/test/sim/main.js --count 20 [--latency-ms 20 [--latency-methods PATCH,GET]] [--type Extend|Base] [--id-prefix sim-]
 *                             [--fail-patch sim-5,sim-6]
 *
 * --fail-patch makes the named BMCs answer every PATCH with 400 (a rollout's
 * failing batch, for trying halts by hand); SIGUSR2 clears every fault.
 *
 * Prints one JSON object on stdout, `{ "bmcs": [ { id, endpoint, type, username, password } ] }`
 * (simulator credentials, not real ones), then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import type { SimMethod } from "./faults.js";
import { startSimulatedBmcs } from "./fleet.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "20" },
      "latency-ms": { type: "string", default: "0" },
      "latency-methods": { type: "string" },
      type: { type: "string", default: "Extend" },
      "id-prefix": { type: "string", default: "sim-" },
      "fail-patch": { type: "string" },
    },
  });
  const count = Number(values.count);
  const latencyMs = Number(values["latency-ms"]);
  const type = values.type;
  if (!Number.isInteger(count) || count < 1 || count > 20000) throw new Error("--count must be an integer from 1 to 20000");
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error("--latency-ms must be a number >= 0");
  if (type !== "Extend" && type !== "Base") throw new Error("--type must be Extend or Base");

  const methods = values["latency-methods"]?.split(",").map((m) => m.trim().toUpperCase());
  if (methods && !methods.every((m): m is SimMethod => ["GET", "PATCH", "POST", "DELETE"].includes(m))) {
    throw new Error("--latency-methods takes a comma list of GET, PATCH, POST, DELETE");
  }
  const fleet = await startSimulatedBmcs(count, { latencyMs, type, idPrefix: values["id-prefix"] });
  if (methods) for (const b of fleet.bmcs) b.setLatency(latencyMs, methods as SimMethod[]);
  const failing = values["fail-patch"]?.split(",").map((id) => id.trim()).filter((id) => id !== "") ?? [];
  for (const id of failing) {
    const bmc = fleet.byId(id);
    if (!bmc) throw new Error(`--fail-patch: no simulated BMC ${id}`);
    await bmc.setFault({ kind: "status", status: 400, methods: ["PATCH"] });
  }
  process.on("SIGUSR2", () => void Promise.all(fleet.bmcs.map((b) => b.setFault(null))));
  const bmcs = fleet.bmcs.map((b) => ({ id: b.id, endpoint: b.endpoint, type: b.type, username: b.username, password: b.password }));
  process.stdout.write(JSON.stringify({ bmcs }) + "\n");

  const stop = () => {
    void fleet.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
