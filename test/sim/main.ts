/**
 * Starts simulated BMCs and prints how to reach them, for the demo and for
 * trying the gateway by hand:
 *
 *   node lib/test/sim/main.js --count 20 [--latency-ms 20] [--type Extend|Base] [--id-prefix sim-]
 *
 * Prints one JSON object on stdout, `{ "bmcs": [ { id, endpoint, type, username, password } ] }`
 * (simulator credentials, not real ones), then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startSimulatedBmcs } from "./fleet.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "20" },
      "latency-ms": { type: "string", default: "0" },
      type: { type: "string", default: "Extend" },
      "id-prefix": { type: "string", default: "sim-" },
    },
  });
  const count = Number(values.count);
  const latencyMs = Number(values["latency-ms"]);
  const type = values.type;
  if (!Number.isInteger(count) || count < 1 || count > 20000) throw new Error("--count must be an integer from 1 to 20000");
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error("--latency-ms must be a number >= 0");
  if (type !== "Extend" && type !== "Base") throw new Error("--type must be Extend or Base");

  const fleet = await startSimulatedBmcs(count, { latencyMs, type, idPrefix: values["id-prefix"] });
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
