/** `shoal serve --log-file FILE` sends the gateway's output to the file, not the terminal. In-process. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { tempDir } from "./results-fixtures.js";
import { run } from "./helpers.js";

t.test("the gateway's output goes to --log-file", async (t) => {
  const file = join(tempDir("shoal-serve-log-"), "gateway.log");
  // A bad PORT stops the gateway at once, with a message: enough to see where its output goes.
  const r = await run(["serve", "--log-file", file], { env: { PORT: "not-a-port", PATH: process.env.PATH } });
  t.equal(r.code, 2, "the gateway's own exit code");
  t.match(r.stderr, `The gateway's log goes to ${file}`);
  t.notMatch(r.stderr + r.stdout, "bad configuration");
  t.match(readFileSync(file, "utf8"), /bad configuration: PORT/);
});
