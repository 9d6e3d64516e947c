/**
 * End-to-end plumbing: a real gateway in this process on 127.0.0.1:0 (state
 * in a temp FileStore), and the `shoal` CLI run against it: in-process through
 * runCli (what nearly every test wants: the same code, no node start-up per
 * command), or as the real binary in a child process for the few tests about
 * the process itself (exit codes, signals, `shoal serve`). Children are
 * spawned asynchronously so the gateway keeps serving while they run.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGateway, type Gateway } from "../../gateway/app.js";
import { DEFAULT_CONFIG, type GatewayConfig } from "../../gateway/config.js";
import { createLogger } from "../../gateway/log.js";
import { RedfishClient } from "../../gateway/bmc/client.js";
import { registerBmcActions } from "../../gateway/bmc/register.js";
import { MachineRegistry } from "../../gateway/platform/registry.js";
import { ResultWriter } from "../../gateway/results/result-writer.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { FileStore } from "../../src/store/file-store.js";
import { tempDir } from "./results-fixtures.js";
import { run } from "./helpers.js";
import { NODE, nodeArgs } from "../helpers/node-child.js";

export const BIN = fileURLToPath(new URL("../../cli/main.js", import.meta.url));

export interface ShoalResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ShoalOptions {
  env?: Record<string, string>;
  stdin?: string;
}

/** Runs `shoal ...args` in this process with a clean environment (only what is given). */
export function shoal(args: string[], options: ShoalOptions = {}): Promise<ShoalResult> {
  return run(args, { env: options.env ?? {}, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) });
}

/** Runs `node lib/cli/main.js ...args` with a clean environment (only PATH and what is given). */
export function shoalBinary(args: string[], options: ShoalOptions = {}): Promise<ShoalResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, nodeArgs([BIN, ...args]), {
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

/** Parses stdout as JSON, with the output in the error when it is not. */
export function json<T = unknown>(r: ShoalResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}

export interface RealGateway {
  url: string;
  gateway: Gateway;
  scheduler: Scheduler;
  logsDir: string;
  logLines: string[];
  close(): Promise<void>;
}

/**
 * The process `npm start` composes (FileStore -> scheduler -> registry -> the
 * five BMC actions writing result files -> gateway), in this process, on port 0.
 */
export async function startRealGateway(config: Partial<GatewayConfig> = {}): Promise<RealGateway> {
  const dir = tempDir("shoal-e2e-");
  const logsDir = join(dir, "logs");
  const logLines: string[] = [];
  const log = createLogger({ level: "debug", sink: (line) => logLines.push(line) });
  const store = new FileStore({ path: join(dir, "data", "shoal.json") });
  const scheduler = new Scheduler({ store, workerPoolSize: 4, timeZone: "UTC", logger: log });
  const registry = new MachineRegistry(store);
  const client = new RedfishClient();
  registerBmcActions(scheduler, { registry, client, results: new ResultWriter({ dir: logsDir }), log });
  await scheduler.start();
  const gateway = createGateway({ scheduler, registry, log, config: { ...DEFAULT_CONFIG, logsDir, dataDir: join(dir, "data"), ...config } });
  const { url } = await gateway.listen(0, "127.0.0.1");
  return {
    url,
    gateway,
    scheduler,
    logsDir,
    logLines,
    async close() {
      await gateway.close();
      await scheduler.stop({ graceMs: 1000 });
      await store.close();
      await client.close();
    },
  };
}
