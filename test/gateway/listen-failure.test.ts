import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import { tempDir } from "../helpers/temp-dir.js";
import { NODE, nodeArgs } from "../helpers/node-child.js";

const LIB = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = join(LIB, "gateway", "main.js");
const CLI = join(LIB, "cli", "main.js");

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(NODE, nodeArgs(args), { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, output })));
}

t.test("a port in use: the start-up message names PORT (and --port for shoal serve) and the process exits 3", async (t) => {
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  const port = (holder.address() as { port: number }).port;
  const dir = tempDir("shoal-port-");

  const direct = await run([MAIN], { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: join(dir, "a", "data"), LOGS_DIR: join(dir, "a", "logs") });
  t.equal(direct.code, 3, direct.output);
  t.match(direct.output, new RegExp(`port ${port} is already in use.*Set PORT`));
  t.notMatch(direct.output, /"stack"|\n\s+at /, "a message, not a stack trace");

  const served = await run([CLI, "serve", "--port", String(port), "--host", "127.0.0.1", "--data", join(dir, "b", "data"), "--logs", join(dir, "b", "logs")], {});
  t.equal(served.code, 3, served.output);
  t.match(served.output, /--port/);
});
