/**
 * The gateway as a value: a Koa app over the core's store (and, once wired,
 * its scheduler), with a listen/close pair so tests run it on port 0.
 *
 * Request path, outermost first: request log -> standard headers -> error
 * mapper -> 404/405 fallback -> rate limit -> auth -> JSON body -> routes.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import { DEFAULT_CONFIG, type GatewayConfig } from "./config.js";
import { createLogger, type Logger } from "./log.js";
import { authenticate } from "./http/auth.js";
import { trustedProxies } from "./http/client-address.js";
import { errorHandler } from "./http/error-handler.js";
import { fallback } from "./http/fallback.js";
import { standardHeaders } from "./http/headers.js";
import { jsonBody } from "./http/json-body.js";
import { rateLimit } from "./http/rate-limit.js";
import { requestLog } from "./http/request-log.js";
import type { GatewayState } from "./http/state.js";
import { MachineRegistry, type RecordStore } from "./platform/registry.js";
import { mountPreviewSchedule } from "./routes/job-service.js";
import { mountPlatform } from "./routes/platform.js";
import { createRouter } from "./routes/router.js";
import { mountServiceRoot } from "./routes/service-root.js";
import { defaultSchemas, type SchemaSet } from "./validation/schemas.js";

export interface GatewayOptions {
  /** The core's store (opened): machines are kept in it as records. */
  store: RecordStore;
  config?: GatewayConfig;
  /** Supply one to share it with other parts of the process (the BMC actions). */
  registry?: MachineRegistry;
  schemas?: SchemaSet;
  log?: Logger;
  /** Milliseconds clock for the rate limiter; tests inject one. */
  now?: () => number;
  /** Wall clock for schedule previews; tests inject one. */
  clock?: () => Date;
  /** Zone of schedules that name none (the scheduler's default); the host's zone when absent. */
  timeZone?: string;
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
}

export function createGateway(options: GatewayOptions): Gateway {
  const config = options.config ?? { ...DEFAULT_CONFIG };
  const log = options.log ?? createLogger({ level: config.logLevel });
  const schemas = options.schemas ?? defaultSchemas();
  const registry = options.registry ?? new MachineRegistry(options.store);

  const router = createRouter();
  mountServiceRoot(router);
  mountPlatform(router, { registry, schemas });
  mountPreviewSchedule(router, { schemas, timeZone: options.timeZone, ...(options.clock ? { now: options.clock } : {}) });

  const app = new Koa<GatewayState>();
  app.on("error", (error: unknown) => log.error("unhandled error outside a request", { error }));
  app.use(requestLog(log));
  app.use(standardHeaders());
  app.use(errorHandler(log));
  app.use(fallback());
  app.use(rateLimit(config.rateLimit, { trusted: trustedProxies(config.trustedProxies), ...(options.now ? { now: options.now } : {}) }));
  app.use(authenticate(config.auth));
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
        const s = createServer(app.callback());
        s.once("error", reject);
        s.listen(port, host, () => {
          s.off("error", reject);
          server = s;
          const address = s.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${shownHost}:${address.port}` });
        });
      });
    },
    close() {
      const s = server;
      server = undefined;
      if (!s) return Promise.resolve();
      return new Promise((resolve, reject) => {
        s.close((error) => (error ? reject(error) : resolve()));
        s.closeIdleConnections();
      });
    },
  };
}
