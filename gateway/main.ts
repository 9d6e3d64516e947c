/**
 * `npm start`: reads the configuration from the environment and composes the
 * process: state file -> scheduler -> machine registry -> BMC actions ->
 * gateway. Shuts down cleanly on SIGINT/SIGTERM: stop accepting requests, let
 * running executions finish for SHUTDOWN_TIMEOUT seconds (then cancel them),
 * flush and close the state file, exit 0.
 */
import { join } from "node:path";
import { Scheduler } from "../src/scheduler/scheduler.js";
import { FileStore } from "../src/store/file-store.js";
import { createGateway } from "./app.js";
import { RedfishClient } from "./bmc/client.js";
import { registerBmcActions } from "./bmc/register.js";
import { ConfigError, authRequired, describeConfig, loadConfig, type GatewayConfig } from "./config.js";
import { createLogger } from "./log.js";
import { MachineRegistry } from "./platform/registry.js";
import { ResultWriter } from "./results/result-writer.js";

/** Beyond the grace period, the scheduler takes up to a second to cancel what is still running. */
const SHUTDOWN_MARGIN_MS = 5000;

function readConfig(): GatewayConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`shoal: bad configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger({ level: config.logLevel });
  const store = new FileStore({ path: join(config.dataDir, "shoal.json") });
  const scheduler = new Scheduler({ store, workerPoolSize: config.workerPoolSize, logger: log });
  const registry = new MachineRegistry(store);
  const client = new RedfishClient();
  registerBmcActions(scheduler, { registry, client, results: new ResultWriter({ dir: config.logsDir }), log });
  // Actions are defined before start: a job that fell due while we were down may run at once.
  await scheduler.start();
  const gateway = createGateway({ scheduler, registry, client, config, log, runLogDir: join(config.dataDir, "run-logs") });
  const address = await gateway.listen();
  const jobs = scheduler.listJobs({ limit: 0 }).total;
  if (authRequired(config.auth)) {
    log.info("listening", { url: `${address.url}/MultiFish/v1`, jobs, machines: registry.size, config: describeConfig(config) });
  } else {
    log.warn("listening with authentication OFF: anyone who can reach this address can change machines and jobs", {
      url: `${address.url}/MultiFish/v1`,
      jobs,
      machines: registry.size,
      config: describeConfig(config),
    });
  }

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal, graceSeconds: config.shutdownTimeoutSeconds });
    const force = setTimeout(() => {
      log.error("shutdown took longer than SHUTDOWN_TIMEOUT allows; exiting", { seconds: config.shutdownTimeoutSeconds });
      process.exit(1);
    }, config.shutdownTimeoutSeconds * 1000 + SHUTDOWN_MARGIN_MS);
    force.unref();
    try {
      await gateway.close();
      await scheduler.stop({ graceMs: config.shutdownTimeoutSeconds * 1000 });
      await store.close();
      await client.close();
    } catch (error) {
      log.error("shutdown failed", { error });
      process.exit(1);
    }
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`shoal: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
