import { performance } from "node:perf_hooks";
import type { Logger } from "../log.js";
import type { GatewayMiddleware } from "./state.js";

/**
 * One line per request: method, path, status and duration. Never the query
 * string, headers or body: they are where credentials and payloads live.
 */
export function requestLog(log: Logger): GatewayMiddleware {
  return async (ctx, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - start) * 100) / 100;
      log.info("request", { method: ctx.method, path: ctx.path, status: ctx.status, ms });
    }
  };
}
