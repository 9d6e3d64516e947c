import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import t from "tap";
import { NODE, nodeArgs } from "../helpers/node-child.js";

const BIN = fileURLToPath(new URL("../../cli/main.js", import.meta.url));

function preview(args: string[], tz: string) {
  // The timeout only stops a hang from stalling the suite; the assertions say what must happen.
  return spawnSync(NODE, nodeArgs([BIN, "preview", ...args]), { encoding: "utf8", timeout: 60_000, env: { PATH: process.env.PATH ?? "", TZ: tz } });
}

t.test("shoal preview under a TZ that is not a zone ends with exit 2 naming TZ, instead of spinning", async (t) => {
  for (const args of [["--at", "22:00"], ["--at", "22:00", "--once"], ["--cron", "0 6 * * 1-5"]]) {
    const run = preview(args, "Nope/Zone");
    t.equal(run.signal, null, `${args.join(" ")}: ended by itself`);
    t.equal(run.status, 2, `${args.join(" ")}: exit 2`);
    t.match(run.stderr, /TZ is "Nope\/Zone"/);
    t.match(run.stderr, /--tz/);
  }
  const named = preview(["--at", "22:00", "--tz", "UTC", "--count", "1"], "Nope/Zone");
  t.equal(named.status, 0, "--tz is the way out");
});
