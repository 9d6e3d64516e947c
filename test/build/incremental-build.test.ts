/**
 * `npm start` and `npm test` build first; an unchanged tree must not pay for
 * a full compile each time, and a fresh clone must need nothing but `npm ci`.
 * So the build is tsc's build mode, whose state lives in the git-ignored lib/.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import t from "tap";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

t.test("the build is incremental and keeps its state under lib/", async (t) => {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { scripts: Record<string, string> };
  t.match(pkg.scripts["build"] ?? "", /^tsc -b tsconfig\.json /, "tsc build mode: an up-to-date tree is not recompiled");
  t.match(pkg.scripts["start"] ?? "", /^npm run build && /);
  t.match(pkg.scripts["test"] ?? "", /^npm run build && /);
  // This test runs from lib/, so a build has happened: its state file is there, not in the source tree.
  t.ok(existsSync(`${ROOT}lib/tsconfig.tsbuildinfo`), "lib/tsconfig.tsbuildinfo");
  t.notOk(existsSync(`${ROOT}tsconfig.tsbuildinfo`), "no build state beside the sources");
  t.match(readFileSync(`${ROOT}.gitignore`, "utf8"), /^lib\/$/m, "lib/ is not committed");
});
