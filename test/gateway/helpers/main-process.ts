/**
 * Runs `npm start`'s entry point (lib/gateway/main.js) as a child process, as
 * an operator would, for tests of start-up, shutdown and exit codes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NODE, nodeArgs } from "../../helpers/node-child.js";

export const MAIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "gateway", "main.js");

export interface MainProcess {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

export function spawnMain(env: Record<string, string>): MainProcess {
  const child = spawn(NODE, nodeArgs([MAIN]), { env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env } });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Starts the gateway and resolves with its base URL once it logs that it listens. */
export async function startMain(env: Record<string, string>): Promise<MainProcess & { url: string }> {
  const started = spawnMain(env);
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/MultiFish\/v1"/.exec(started.output());
      if (m?.[1]) resolve(m[1]);
    };
    started.child.stdout.on("data", look);
    started.child.stderr.on("data", look);
    void started.exited.then((code) => reject(new Error(`gateway exited ${code}: ${started.output()}`)));
    // A safety net, not a timing assertion (node start-up alone can take tens of seconds on a
    // loaded machine): fail with the output, and end the child so the test file can exit.
    setTimeout(() => {
      started.child.kill("SIGKILL");
      reject(new Error(`no listening line: ${started.output()}`));
    }, 150_000).unref();
  });
  return { ...started, url };
}
