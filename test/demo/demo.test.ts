import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import { tempDir } from "../helpers/temp-dir.js";
import { NODE, nodeArgs } from "../helpers/node-child.js";

const demo = join(dirname(fileURLToPath(import.meta.url)), "main.js");

t.test("npm run demo runs the three jobs against 20 simulated BMCs and exits cleanly", async (t) => {
  const logsDir = tempDir("shoal-demo-logs-");
  const run = spawnSync(NODE, nodeArgs([demo]), {
    encoding: "utf8",
    // The one-off job is due this long after the demo creates it: enough for the create request to
    // land first on a busy machine. No time limit here: tap's own is the safety net.
    env: { ...process.env, DEMO_ONE_OFF_SECONDS: "5", LOGS_DIR: logsDir },
  });
  t.equal(run.status, 0, run.stderr);
  t.match(run.stdout, /"Performance now": Completed, health OK, 20\/20 machines succeeded \(trigger Manual\)/);
  t.match(run.stdout, /"One-off fan zone floor": Completed, health OK, 10\/10 machines succeeded \(trigger Schedule\)/);
  t.match(run.stdout, /"Weeknight PowerSaver" waits for \d{4}-\d\d-\d\dT22:00:00Z/);
  t.match(run.stdout, /Demo finished/);
  const files = readdirSync(logsDir);
  t.equal(files.filter((f) => f.includes("_PatchProfile_")).length, 20, "a result file per machine for the triggered job");
  t.equal(files.filter((f) => f.includes("_PatchFanZone_")).length, 10, "and for the one-off job");
  t.equal(files.filter((f) => f.endsWith("_summary.json")).length, 2, "a summary per execution");
});
