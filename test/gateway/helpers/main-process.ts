/** `npm start`'s entry point run as a child process, as an operator runs it. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "gateway", "main.js");

export interface StartedMain {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the gateway on a free loopback port with `env` and resolves once it says where it listens. */
export async function startMain(env: Record<string, string>): Promise<StartedMain> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env } });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/MultiFish\/v1"/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => reject(new Error(`gateway exited ${code}: ${output}`)));
    setTimeout(() => reject(new Error(`no listening line: ${output}`)), 60_000).unref();
  });
  return { child, url, output: () => output, exited };
}
