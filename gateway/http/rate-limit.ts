import type { RateLimitConfig } from "../config.js";
import { RedfishError } from "../redfish/errors.js";
import { clientAddress, type TrustedProxies } from "./client-address.js";
import type { GatewayMiddleware } from "./state.js";
import { TokenBuckets } from "./token-bucket.js";

export interface RateLimitOptions {
  trusted: TrustedProxies;
  now?: () => number;
}

/** 429 with Retry-After once a client has spent its burst faster than the rate refills it. */
export function rateLimit(config: RateLimitConfig, options: RateLimitOptions): GatewayMiddleware {
  const buckets = new TokenBuckets({ rate: config.rate, burst: config.burst, ...(options.now ? { now: options.now } : {}) });
  return async (ctx, next) => {
    if (!config.enabled) return next();
    const key = clientAddress(ctx.req.socket.remoteAddress, ctx.get("X-Forwarded-For") || undefined, options.trusted);
    const verdict = buckets.take(key);
    if (!verdict.allowed) {
      const seconds = String(verdict.retryAfterSeconds);
      throw new RedfishError(
        429,
        [{ key: "GeneralError", resolution: `Too many requests from this client. Wait ${seconds} seconds before retrying.` }],
        { "Retry-After": seconds },
      );
    }
    return next();
  };
}
