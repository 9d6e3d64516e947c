// Runs every bench/*.mjs (except this file) in its own process, one after another,
// and prints one JSON object keyed by benchmark name. Each benchmark prints JSON on stdout.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && f !== "run.mjs")
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results = {};
for (const file of files) {
  const name = file.replace(/\.mjs$/, "");
  const run = spawnSync(process.execPath, ["--expose-gc", join(here, file)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 10 * 60 * 1000,
  });
  try {
    results[name] = JSON.parse(run.stdout);
  } catch {
    results[name] = { error: `exit ${run.status}`, output: run.stdout.slice(-2000) };
  }
}
console.log(JSON.stringify(results, null, 2));
