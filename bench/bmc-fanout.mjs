// PatchProfile fanned out straight through the Redfish client (no scheduler, no
// gateway) to simulated BMCs in this same process: the floor the gateway's own
// fan-out bench (fanout-http) can be compared with. Each PatchProfile that
// changes a machine is three requests (GET for AllowableValues + ETag, PATCH,
// GET again for the After snapshot), so the ideal is
// machines x requests per machine x latency / concurrency. Simulator and client share this
// process's CPU: expect better figures with the simulator in its own process.
//   node bench/bmc-fanout.mjs [machines=2000] [latencyMs=20] [concurrency=100]
import { monitorEventLoopDelay } from "node:perf_hooks";
import pLimit from "p-limit";
import { PatchProfile } from "../lib/gateway/bmc/oem/openbmc/fan-actions.js";
import { RedfishClient } from "../lib/gateway/bmc/client.js";
import { startSimulatedBmcs } from "../lib/test/sim/fleet.js";

const [machines = 2000, latencyMs = 20, concurrency = 100] = process.argv.slice(2).map(Number);
const fleet = await startSimulatedBmcs(machines, { latencyMs });
const client = new RedfishClient();
const limit = pLimit(concurrency);
const targets = fleet.machines({ httpClientTimeoutSeconds: 10 });
const payload = [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }];

async function run(profile) {
  payload[0].Payload.Profile = profile;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const results = await Promise.allSettled(
    targets.map((machine) => limit(() => PatchProfile.run({ machine, payload, signal: new AbortController().signal, client }))),
  );
  const wallMs = performance.now() - started;
  delay.disable();
  const failed = results.filter((r) => r.status === "rejected").length;
  return { wallMs, failed, loopDelayP99Ms: delay.percentile(99) / 1e6 };
}

await run("Balanced"); // warm-up: JIT warm, pools created
fleet.bmcs.forEach((b) => b.resetStats());
const measured = await run("PowerSaver");
const totals = fleet.totals();
const requestsPerMachine = totals.requests / machines;
const idealMs = (machines * requestsPerMachine * latencyMs) / concurrency;
const changed = fleet.bmcs.filter((b) => b.state.managers.bmc.fan.profile === "PowerSaver").length;
console.log(
  JSON.stringify({
    machines,
    latencyMs,
    concurrency,
    requestsPerMachine,
    wallMs: Math.round(measured.wallMs),
    idealMs: Math.round(idealMs),
    ratioToIdeal: +(measured.wallMs / idealMs).toFixed(2),
    patchesPerSecond: Math.round(totals.patchesApplied / (measured.wallMs / 1000)),
    failed: measured.failed,
    changed,
    eventLoopDelayP99Ms: +measured.loopDelayP99Ms.toFixed(1),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);
await client.close();
await fleet.close();
