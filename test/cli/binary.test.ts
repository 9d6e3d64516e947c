import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import t from "tap";
import { tempDir, writeResult } from "./results-fixtures.js";
import { NODE, nodeArgs } from "../helpers/node-child.js";

/** The compiled bin, as package.json names it. */
export const BIN = fileURLToPath(new URL("../../cli/main.js", import.meta.url));

function shoal(args: string[], env: Record<string, string> = {}) {
  return spawnSync(NODE, nodeArgs([BIN, ...args]), { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });
}

t.test("the bin starts with a node shebang and is what package.json names", async (t) => {
  t.match(readFileSync(BIN, "utf8"), /^#!\/usr\/bin\/env node\n/);
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { bin: Record<string, string> };
  t.equal(pkg.bin.shoal, "./lib/cli/main.js");
});

t.test("the real process exits with the command's code and prints JSON a script can parse", async (t) => {
  const ok = shoal(["preview", "--at", "10:00", "--tz", "UTC", "--after", "2026-01-01T00:00:00Z", "--count", "2", "--json"]);
  t.equal(ok.status, 0);
  t.same(JSON.parse(ok.stdout).NextRunTimes, ["2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z"]);
  const bad = shoal(["preview", "--at", "10:99"]);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /^shoal: --at: "10:99" is not a time of day/);
  const offline = shoal(["jobs", "list", "--url", "http://127.0.0.1:9"]);
  t.equal(offline.status, 3);
});

t.test("a closed pipe (`shoal results | head -1`) ends quietly", async (t) => {
  const dir = tempDir();
  for (let i = 0; i < 3000; i++) writeResult(dir, { machine: `m${i}`, at: new Date(Date.UTC(2026, 1, 10, 22, 0, i % 60)) });
  const r = spawnSync("bash", ["-c", `env -u NODE_OPTIONS "${process.execPath}" "${BIN}" results --dir "${dir}" --json | head -1; echo "status=\${PIPESTATUS[0]}" >&2`], {
    encoding: "utf8",
  });
  t.equal(r.stdout, "[\n");
  t.match(r.stderr, /status=0\n$/);
  t.notMatch(r.stderr, /EPIPE|Error/);
});
