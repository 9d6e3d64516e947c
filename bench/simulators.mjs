// Simulated BMC fleets for the benches: `total` machines over simulator
// processes of at most `perProcess` each (one process cannot serve 10 000
// keep-alive pools), PATCHes delayed by `latencyMs`. Resolves once every
// process has printed its BMC list.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const sim = fileURLToPath(new URL("../lib/test/sim/main.js", import.meta.url));

export async function startSimulators(total, { perProcess = 2500, latencyMs = 20 } = {}) {
  const children = [];
  const bmcs = [];
  for (let made = 0, n = 0; made < total; made += perProcess, n++) {
    const count = Math.min(perProcess, total - made);
    const child = spawn(process.execPath, [sim, "--count", String(count), "--latency-ms", String(latencyMs), "--latency-methods", "PATCH", "--id-prefix", `sim${n}-`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    let out = "";
    child.stdout.setEncoding("utf8");
    for await (const chunk of child.stdout) {
      out += chunk;
      if (out.includes("\n")) break;
    }
    bmcs.push(...JSON.parse(out).bmcs);
  }
  return { children, bmcs };
}
