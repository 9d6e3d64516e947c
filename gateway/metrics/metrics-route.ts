/**
 * GET /metrics in the Prometheus text format. A middleware rather than a
 * route so the gateway can put it before authentication when METRICS_OPEN
 * says scrapers need no credentials; otherwise it sits behind auth like
 * every other path.
 */
import type { GatewayMiddleware } from "../http/state.js";
import type { GatewayMetrics } from "./gateway-metrics.js";

export const METRICS_PATH = "/metrics";

export function serveMetrics(metrics: GatewayMetrics): GatewayMiddleware {
  return async (ctx, next) => {
    if (ctx.path !== METRICS_PATH || (ctx.method !== "GET" && ctx.method !== "HEAD")) return next();
    const { text, contentType } = await metrics.scrape();
    ctx.set("Content-Type", contentType);
    ctx.body = text;
  };
}
