import { spawn } from "node:child_process";
import { join } from "node:path";
import t from "tap";
import { BIN, json, shoal, shoalBinary } from "./e2e-helpers.js";
import { tempDir } from "./results-fixtures.js";
import { NODE, nodeArgs } from "../helpers/node-child.js";

t.test("shoal serve starts the gateway, which the other commands then use; SIGTERM stops it cleanly", async (t) => {
  const dir = tempDir("shoal-serve-");
  const child = spawn(NODE, nodeArgs([BIN, "serve", "--port", "0", "--host", "127.0.0.1", "--data", join(dir, "data"), "--logs", join(dir, "logs")]), {
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
      const m = /"msg":"listening[^"]*","url":"(http:\/\/127\.0\.0\.1:\d+)\/MultiFish\/v1"/.exec(output);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${output}`)));
    // A safety net, not a timing assertion (node start-up alone can take tens of seconds on a
    // loaded machine): fail with the output instead of hanging the suite.
    setTimeout(() => reject(new Error(`no "listening" line from serve: ${output}`)), 150_000).unref();
  });

  const empty = await shoal(["machines", "list", "--url", url]);
  t.equal(empty.code, 0, empty.stderr);
  t.equal(empty.stdout, "No machines.\n");
  t.same(json(await shoal(["machines", "list", "--url", url, "--json"])), []);

  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  t.equal(await exited, 0, "the gateway's clean exit code comes through");
  t.match(output, /"msg":"stopped"/);
});

t.test("shoal serve with a bad setting exits with the gateway's complaint", async (t) => {
  // The gateway child inherits the CLI's stderr, so its complaint is only captured from a real process.
  const r = await shoalBinary(["serve", "--port", "0"], { env: { AUTH_ENABLED: "maybe" } });
  t.not(r.code, 0);
  t.match(r.stderr, /AUTH_ENABLED/);
  const usage = await shoal(["serve", "--port", "70000"]);
  t.equal(usage.code, 2);
});
