/**
 * The gateway as a value: a Koa app over the core's scheduler and its store,
 * with a listen/close pair so tests run it on port 0.
 *
 * Request path, outermost first: request log -> standard headers -> error
 * mapper -> console files (`/`, `/ui/`) -> 404/405 fallback -> rate limit -> auth -> JSON body -> routes.
 * The live views of machines reach their BMCs through the Redfish client.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import { DEFAULT_CONFIG, type GatewayConfig } from "./config.js";
import { createLogger, type Logger } from "./log.js";
import { authenticate } from "./http/auth.js";
import { ConnectionGuard, type ConnectionStats } from "./http/connection-guard.js";
import { trustedProxies } from "./http/client-address.js";
import { errorHandler } from "./http/error-handler.js";
import { fallback } from "./http/fallback.js";
import { standardHeaders } from "./http/headers.js";
import { jsonBody } from "./http/json-body.js";
import { rateLimit } from "./http/rate-limit.js";
import { requestLog } from "./http/request-log.js";
import type { GatewayState } from "./http/state.js";
import type { Scheduler } from "../src/scheduler/scheduler.js";
import { RedfishClient } from "./bmc/client.js";
import { MachineRegistry, type RecordStore } from "./platform/registry.js";
import { mountExecutions } from "./routes/executions.js";
import { mountJobService, mountPreviewSchedule } from "./routes/job-service.js";
import { mountJobs } from "./routes/jobs.js";
import { mountMachineLive } from "./routes/machine-live.js";
import { mountPlatform } from "./routes/platform.js";
import { createRouter } from "./routes/router.js";
import { mountServiceRoot } from "./routes/service-root.js";
import { defaultSchemas, type SchemaSet } from "./validation/schemas.js";
import { jobsBlockingType } from "./jobs/job-checks.js";
import { serveConsole } from "./ui/static-files.js";
import { createEventService } from "./events/event-service.js";
import { mountEventServiceRoutes } from "./events/event-service-routes.js";
import { mountSubscriptionRoutes } from "./events/subscription-routes.js";
import { mountRunLogRoutes } from "./events/run-log-routes.js";
import { GatewayMetrics } from "./metrics/gateway-metrics.js";
import { serveMetrics } from "./metrics/metrics-route.js";
import { jobsTargeting } from "./jobs/jobs-targeting.js";
import { AccountStore, authorize, mountRedfishService, redfishProtocol, SessionStore } from "./redfish-service/index.js";

export interface GatewayOptions {
  /**
   * The core's scheduler, started (so its store is open) and with its actions
   * defined: the JobService, Jobs and Executions routes drive it.
   */
  scheduler: Scheduler;
  /** Where machines are kept as records; the scheduler's own store when absent. */
  store?: RecordStore;
  config?: GatewayConfig;
  /** Supply one to share it with other parts of the process (the BMC actions). */
  registry?: MachineRegistry;
  schemas?: SchemaSet;
  /**
   * The Redfish client the live views of machines use; supply the one the BMC
   * actions use to share pools and sessions. When absent the gateway makes its
   * own and closes it on close().
   */
  client?: RedfishClient;
  log?: Logger;
  /** Milliseconds clock for the rate limiter; tests inject one. */
  now?: () => number;
  /** Wall clock for schedule previews; the scheduler's clock when absent. */
  clock?: () => Date;
  /** Zone of previewed schedules that name none; the scheduler's zone when absent. */
  timeZone?: string;
  /** Where each run's log is also written (JSON lines, one file per run); kept in memory only when absent. */
  runLogDir?: string;
  /** The /redfish/v1 service root's UUID (main.ts keeps one in DATA_DIR); a fresh one per gateway when absent. */
  serviceUuid?: string;
}

export interface ListeningAddress {
  host: string;
  port: number;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
}

export interface Gateway {
  app: Koa<GatewayState>;
  registry: MachineRegistry;
  config: GatewayConfig;
  /** Starts serving; port 0 picks a free port. Defaults to the configured host and port. */
  listen(port?: number, host?: string): Promise<ListeningAddress>;
  /** Stops accepting, lets in-flight requests finish, closes idle keep-alive connections. */
  close(): Promise<void>;
  /** Client connections refused or closed for breaking HTTP or the connection limits, since start. */
  connectionStats(): ConnectionStats;
}

/** Whether any job has the machine among a step's targets (jobs read in place: no copy of each). */
function isTargeted(scheduler: Scheduler, machineId: string): boolean {
  return scheduler.readJobs().some((job) => job.steps.some((step) => step.targets.includes(machineId)));
}

export function createGateway(options: GatewayOptions): Gateway {
  const config = options.config ?? { ...DEFAULT_CONFIG };
  const log = options.log ?? createLogger({ level: config.logLevel });
  const schemas = options.schemas ?? defaultSchemas();
  const { scheduler } = options;
  const registry = options.registry ?? new MachineRegistry(options.store ?? scheduler.store);
  // A machine some job targets is not deleted without ?force=true.
  registry.setTargetCheck((machineId) => isTargeted(scheduler, machineId));
  const clock = options.clock ?? (() => new Date(scheduler.clock.now()));
  const ownClient = options.client === undefined;
  const client = options.client ?? new RedfishClient();

  const router = createRouter();
  mountServiceRoot(router);
  mountPlatform(router, {
    registry,
    schemas,
    onRemoved: (id) => void client.forget(id),
    jobsBlockingType: (id, type) => jobsBlockingType(scheduler.readJobs(), id, type),
    jobsTargeting: (id) => jobsTargeting(scheduler.readJobs(), id),
  });
  mountMachineLive(router, { registry, client, schemas });
  mountJobService(router, { scheduler, schemas });
  mountPreviewSchedule(router, { schemas, timeZone: options.timeZone ?? scheduler.timeZone, now: clock });
  mountJobs(router, { scheduler, registry, schemas });
  mountExecutions(router, { scheduler });
  const events = createEventService({
    scheduler,
    store: options.store ?? scheduler.store,
    config: config.events,
    log,
    ...(options.runLogDir !== undefined ? { runLogDir: options.runLogDir } : {}),
  });
  mountEventServiceRoutes(router, { events, schemas });
  mountSubscriptionRoutes(router, { events, schemas });
  mountRunLogRoutes(router, { scheduler, runLog: events.runLog });
  const identity = { accounts: new AccountStore(config.auth), sessions: new SessionStore(options.now) };
  mountRedfishService(router, { uuid: options.serviceUuid ?? randomUUID(), schemas, registry, client, onRemoved: (id) => void client.forget(id), scheduler, ...identity });
  const metrics = new GatewayMetrics(scheduler, events);

  const guard = new ConnectionGuard(config.connections, log);
  const app = new Koa<GatewayState>();
  app.on("error", (error: unknown) => {
    if (!guard.clientFault(error)) log.error("unhandled error outside a request", { error });
  });
  app.use(requestLog(log));
  app.use(standardHeaders());
  app.use(errorHandler(log));
  app.use(serveConsole());
  app.use(fallback());
  app.use(redfishProtocol(router));
  app.use(rateLimit(config.rateLimit, { trusted: trustedProxies(config.trustedProxies), ...(options.now ? { now: options.now } : {}) }));
  if (config.events.metricsOpen) app.use(serveMetrics(metrics));
  app.use(authenticate(config.auth, identity));
  if (!config.events.metricsOpen) app.use(serveMetrics(metrics));
  app.use(authorize());
  app.use(jsonBody({ limitBytes: config.bodyLimitBytes }));
  app.use(router.routes());
  app.use(router.allowedMethods());

  let server: Server | undefined;

  return {
    app,
    registry,
    config,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        const tls = config.tls ?? null;
        // HTTPS when TLS files are configured (DSP0266 wants Basic credentials only over TLS); the https server speaks the same events.
        const s: Server = tls
          ? (createTlsServer({ ...guard.serverOptions(), cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, guard.wrap(app.callback())) as unknown as Server)
          : createServer(guard.serverOptions(), guard.wrap(app.callback()));
        guard.attach(s);
        s.once("error", reject);
        s.listen(port, host, () => {
          s.off("error", reject);
          server = s;
          const address = s.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `${tls ? "https" : "http"}://${shownHost}:${address.port}` });
        });
      });
    },
    async close() {
      await events.close();
      metrics.close();
      const s = server;
      server = undefined;
      if (s) {
        await new Promise<void>((resolve, reject) => {
          s.close((error) => (error ? reject(error) : resolve()));
          s.closeIdleConnections();
        });
      }
      if (ownClient) await client.close();
      guard.logSummary();
    },
    connectionStats: () => ({ ...guard.stats }),
  };
}
