/**
 * Starts simulated BMCs and prints how to reach them, for the demo and for
 * trying the gateway by hand:
 *
 *   node lib/test/sim/main.js --count 20 [--latency-ms 20 [--latency-methods PATCH,GET]] [--type Extend|Base] [--id-prefix sim-]
 *                             [--fail-patch sim-5,sim-6] [--tls-cert cert.pem --tls-key key.pem]
 *
 * --fail-patch makes the named BMCs answer every PATCH with 400 (a rollout's
 * failing batch, for trying halts by hand); SIGUSR2 clears every fault.
 *
 * Prints one JSON object on stdout, `{ "bmcs": [ { id, endpoint, type, username, password } ] }`
 * (simulator credentials, not real ones), then serves until SIGINT/SIGTERM.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { SimMethod } from "./faults.js";
import { startSimulatedBmcs } from "./fleet.js";

export const SIM_HELP = `Usage: node lib/test/sim/main.js [options]

Starts simulated OpenBMC (or standard Redfish) BMCs on 127.0.0.1, each on a free port, prints
{"bmcs":[{"id","endpoint","type","username","password"}]} as one JSON line on stdout, and serves
until Ctrl-C or SIGTERM. The credentials are the simulator's own, for registering the BMCs with
the gateway (POST /MultiFish/v1/Platform, or shoal machines add).

Options:
  --count N                  how many BMCs (1-20000; default 20)
  --type Extend|Base         Extend: OpenBMC with the fan OEM resources (default); Base: standard Redfish
  --id-prefix PREFIX         ids are PREFIX1, PREFIX2... (default sim-)
  --latency-ms MS            delay every answer by MS milliseconds (default 0)
  --latency-methods LIST     delay only these methods: GET,PATCH,POST,DELETE
  --tls-cert FILE --tls-key FILE   serve HTTPS with this PEM certificate and key
  -h, --help                 this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      help: { type: "boolean", short: "h" },
      count: { type: "string", default: "20" },
      "latency-ms": { type: "string", default: "0" },
      "latency-methods": { type: "string" },
      type: { type: "string", default: "Extend" },
      "id-prefix": { type: "string", default: "sim-" },
      "fail-patch": { type: "string" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
    },
  });
  if (values.help) {
    process.stdout.write(SIM_HELP);
    return;
  }
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
  const certFile = values["tls-cert"];
  const keyFile = values["tls-key"];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error("--tls-cert and --tls-key go together");
  const tls = certFile !== undefined && keyFile !== undefined ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined;
  const fleet = await startSimulatedBmcs(count, { latencyMs, type, idPrefix: values["id-prefix"], ...(tls && { tls }) });
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
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nRun with --help for the options.\n`);
  process.exit(1);
});
