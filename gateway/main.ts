/**
 * `npm start`: reads the configuration from the environment, opens the state
 * file, serves the gateway, and shuts down cleanly on SIGINT/SIGTERM.
 *
 * Not wired yet: the scheduler (JobService and Jobs routes), which lands
 * with issue 4; until then jobs are not served.
 */
import { join } from "node:path";
import { FileStore } from "../src/store/file-store.js";
import { createGateway } from "./app.js";
import { ConfigError, authRequired, describeConfig, loadConfig } from "./config.js";
import { createLogger } from "./log.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`shoal: bad configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger({ level: config.logLevel });
  const store = new FileStore({ path: join(config.dataDir, "shoal.json") });
  await store.open();
  const gateway = createGateway({ store, config, log });
  const address = await gateway.listen();
  log.info("listening", { url: `${address.url}/MultiFish/v1`, config: describeConfig(config) });
  if (!authRequired(config.auth)) {
    log.warn("authentication is OFF: anyone who can reach this address can change machines and jobs", {
      host: config.host,
    });
  }

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    const force = setTimeout(() => {
      log.error("shutdown took longer than SHUTDOWN_TIMEOUT; exiting", { seconds: config.shutdownTimeoutSeconds });
      process.exit(1);
    }, config.shutdownTimeoutSeconds * 1000 + 1000);
    force.unref();
    await gateway.close();
    await store.close();
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
