import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import t from "tap";
import { NODE, nodeArgs } from "../helpers/node-child.js";

const MAIN = fileURLToPath(new URL("./main.js", import.meta.url));
const run = promisify(execFile);

t.test("the simulator's --help lists its options and starts nothing", async (t) => {
  const { stdout } = await run(NODE, nodeArgs([MAIN, "--help"]), { timeout: 60_000 });
  for (const option of ["--count", "--type", "--id-prefix", "--latency-ms", "--latency-methods"]) t.match(stdout, option);
  t.notMatch(stdout, /"endpoint":"http/, "no BMC was started");
});

t.test("a wrong option points at --help", async (t) => {
  const failed = await run(NODE, nodeArgs([MAIN, "--cuont", "2"]), { timeout: 60_000 }).then(
    () => null,
    (error: unknown) => error as { code: number; stderr: string },
  );
  t.equal(failed?.code, 1);
  t.match(failed?.stderr ?? "", /--help/);
});
