/**
 * `npm start`: reads the configuration from the environment and composes the
 * process: state file -> scheduler -> machine registry -> BMC actions ->
 * gateway. Shuts down cleanly on SIGINT/SIGTERM: stop accepting requests, let
 * running executions finish for SHUTDOWN_TIMEOUT seconds (then cancel them),
 * flush and close the state file, exit 0.
 *
 * Exit codes: 2 a bad setting (the message names the variable), 3 the data
 * directory is held by another live gateway (the message names it and the
 * holder), 1 anything else that stops start-up.
 */
import { join } from "node:path";
import { StoreLockedError } from "../src/store/data-lock.js";
import { ensureDirectory } from "../src/store/ensure-directory.js";
import { FileStore } from "../src/store/file-store.js";
import type { Store } from "../src/store/store.js";
import type { Cluster, PgStore } from "../src/postgres/index.js";
import { ConfigError, authRequired, describeConfig, loadConfig, type GatewayConfig } from "./config.js";
import { LISTEN_FAILURE_EXIT_CODE, listenFailureMessage } from "./http/listen-failure.js";
import { createLogger, type Logger } from "./log.js";
import { loadServiceUuid } from "./redfish-service/service-uuid.js";

/** Beyond the grace period, the scheduler takes up to a second to cancel what is still running. */
const SHUTDOWN_MARGIN_MS = 5000;
/**
 * In cluster mode a run's tasks wait in the shared queue, not in this
 * process's pool: this many may be out at once per instance (the work itself
 * is capped by each instance's WORKER_POOL_SIZE).
 */
const CLUSTER_TASKS_PER_WORKER = 20;

function badConfiguration(error: ConfigError): never {
  process.stderr.write(`shoal: bad configuration: ${error.message}\n`);
  process.exit(2);
}

function readConfig(): GatewayConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) badConfiguration(error);
    throw error;
  }
}

/** Both folders exist (or are made) before anything else, so a wrong one is reported against its variable. */
async function prepareDirectories(config: GatewayConfig): Promise<void> {
  for (const [variable, dir] of [["DATA_DIR", config.dataDir], ["LOGS_DIR", config.logsDir]] as const) {
    await ensureDirectory(dir).catch((error: unknown) => badConfiguration(new ConfigError(variable, error instanceof Error ? error.message : String(error))));
  }
}

/**
 * The state, opened and held: a second gateway on the same DATA_DIR (or, with
 * DATABASE_URL, the same database schema) stops here. The PostgreSQL driver
 * is loaded only when DATABASE_URL asks for it.
 */
async function openStore(config: GatewayConfig, log: Logger): Promise<{ store: Store; cluster: Cluster | null }> {
  const postgres = config.databaseUrl === null ? null : await import("../src/postgres/index.js");
  const cluster =
    postgres !== null && config.databaseUrl !== null && config.cluster
      ? new postgres.Cluster({
          connectionString: config.databaseUrl,
          workerPoolSize: config.workerPoolSize,
          takeoverSeconds: config.clusterTakeoverSeconds,
          logger: log,
        })
      : null;
  const store: Store =
    postgres === null || config.databaseUrl === null
      ? new FileStore({ path: join(config.dataDir, "shoal.json"), onCorrupt: config.storeOnCorrupt })
      : cluster !== null
        ? cluster.createStore()
        : new postgres.PgStore({ connectionString: config.databaseUrl });
  try {
    await store.open();
  } catch (error) {
    if (error instanceof StoreLockedError || (postgres !== null && error instanceof postgres.SchemaHeldError)) {
      process.stderr.write(`shoal: ${error.message}\n`);
      process.exit(3);
    }
    throw error;
  }
  // The store made the cluster's tables; now this instance joins.
  await cluster?.open();
  return { store, cluster };
}

async function main(): Promise<void> {
  const config = readConfig();
  await prepareDirectories(config);
  const log = createLogger({ level: config.logLevel });
  const { store, cluster } = await openStore(config, log);
  // Loaded only once the settings and the data directory are known good, so a
  // refusal (bad variable, directory in use) comes before seconds of module loading.
  const [{ Scheduler }, { createGateway }, { RedfishClient }, { registerBmcActions }, { MachineRegistry, MACHINE_RECORD_KIND }, { ResultWriter }] = await Promise.all([
    import("../src/scheduler/scheduler.js"),
    import("./app.js"),
    import("./bmc/client.js"),
    import("./bmc/register.js"),
    import("./platform/registry.js"),
    import("./results/result-writer.js"),
  ]);
  const scheduler = new Scheduler({
    store,
    workerPoolSize: cluster ? Math.min(10_000, config.workerPoolSize * CLUSTER_TASKS_PER_WORKER) : config.workerPoolSize,
    logger: log,
    ...(cluster && { cluster: cluster.hooks }),
  });
  const registry = new MachineRegistry(store);
  cluster?.attach(scheduler, store as PgStore, (kinds) => {
    if (kinds.has(MACHINE_RECORD_KIND)) registry.reload();
  });
  // BMC requests go out from their own thread: the API stays fast while a run fans out to thousands of machines.
  const client = new RedfishClient({ ioThread: true });
  registerBmcActions(cluster ? cluster.distributing(scheduler) : scheduler, { registry, client, results: new ResultWriter({ dir: config.logsDir }), log });
  // Actions are defined before start: a job that fell due while we were down may run at once.
  await scheduler.start();
  cluster?.startWorking();
  const serviceUuid = await loadServiceUuid(config.dataDir);
  const gateway = createGateway({ scheduler, registry, client, config, log, runLogDir: join(config.dataDir, "run-logs"), serviceUuid });
  const address = await gateway.listen().catch(async (error: unknown) => {
    const message = listenFailureMessage(error, config);
    if (message === undefined) throw error;
    process.stderr.write(`shoal: ${message}\n`);
    await scheduler.stop({ graceMs: 0 }).catch(() => undefined);
    await cluster?.close(0).catch(() => undefined);
    await store.close().catch(() => undefined);
    return process.exit(LISTEN_FAILURE_EXIT_CODE);
  });
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
      // Tasks this instance took but has not begun go back to the cluster at once.
      await cluster?.stopWorking(config.shutdownTimeoutSeconds * 1000);
      await scheduler.stop({ graceMs: config.shutdownTimeoutSeconds * 1000 });
      await cluster?.close();
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

  // Logged only once the handlers are in place: a supervisor (or a test) that reads this line and
  // sends SIGTERM at once must get a clean stop, not the default kill.
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
}

main().catch((error: unknown) => {
  process.stderr.write(`shoal: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
