/**
 * `shoal serve`: start the gateway, as `npm start` does (without the build).
 * It runs as a child process so the gateway owns its own signals and exit
 * code; Ctrl-C reaches both through the terminal, and a SIGTERM sent to this
 * process is passed on.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command, CommandGroup } from "../command.js";
import { CliError, ExitCode } from "../exit-codes.js";

const GATEWAY_MAIN = new URL("../../gateway/main.js", import.meta.url);

const serve: Command = {
  name: "",
  summary: "Start the gateway (the same as `npm start`)",
  usage: "[--port N] [--host ADDRESS] [--logs DIR] [--data DIR] [--pool N] [--log-file FILE]",
  details:
    "Options set the gateway's environment variables (PORT, HOST, LOGS_DIR, DATA_DIR, WORKER_POOL_SIZE);\n" +
    "everything else (auth, rate limits, LOG_LEVEL) is read from the environment as the gateway documents.\n" +
    "The gateway's log (one JSON line per request) goes to the terminal unless --log-file names a file\n" +
    "(appended to): use it with `shoal serve &` so the log does not interleave with later commands.",
  options: {
    port: { type: "string", value: "N", description: "port to listen on (env PORT; default 8080)" },
    host: { type: "string", value: "ADDRESS", description: "address to bind (env HOST; default 127.0.0.1)" },
    logs: { type: "string", value: "DIR", description: "result files directory (env LOGS_DIR; default logs)" },
    data: { type: "string", value: "DIR", description: "state directory (env DATA_DIR; default data)" },
    pool: { type: "string", value: "N", description: "worker pool size (env WORKER_POOL_SIZE; default 5)" },
    "log-file": { type: "string", value: "FILE", description: "append the gateway's log (stdout and stderr) to FILE instead of the terminal" },
  },
  async run(ctx, args) {
    const env: Record<string, string | undefined> = { ...ctx.io.env };
    const port = args.integer("port", 0, 65535);
    if (port !== undefined) env.PORT = String(port);
    const pool = args.integer("pool", 1, 10_000);
    if (pool !== undefined) env.WORKER_POOL_SIZE = String(pool);
    const host = args.string("host");
    if (host !== undefined) env.HOST = host;
    const logs = args.string("logs");
    if (logs !== undefined) env.LOGS_DIR = logs;
    const data = args.string("data");
    if (data !== undefined) env.DATA_DIR = data;
    const main = fileURLToPath(GATEWAY_MAIN);
    if (!existsSync(main)) throw new CliError(ExitCode.Unavailable, [`the gateway is not built (${main} is missing); run npm run build`]);

    const logFile = args.string("log-file");
    let logFd: number | undefined;
    if (logFile !== undefined) {
      try {
        logFd = openSync(logFile, "a", 0o640);
      } catch (error) {
        throw new CliError(ExitCode.Usage, [`--log-file ${logFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
      }
      ctx.out.note(`The gateway's log goes to ${logFile}`);
    }
    const output = logFd ?? "inherit";
    const child = spawn(process.execPath, [main], { env, stdio: ["ignore", output, output] });
    if (logFd !== undefined) closeSync(logFd);
    const forward = (signal: NodeJS.Signals) => (): void => {
      child.kill(signal);
    };
    const onTerm = forward("SIGTERM");
    // The terminal sends Ctrl-C to the whole process group; the gateway shuts down on its own.
    const onInt = (): void => undefined;
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
    try {
      return await new Promise<number>((resolve, reject) => {
        child.once("error", reject);
        child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : ExitCode.Unavailable)));
      });
    } finally {
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
    }
  },
};

export const serveGroup: CommandGroup = {
  name: "serve",
  summary: serve.summary,
  commands: [serve],
  defaultCommand: "",
};
