import type { GatewayMiddleware } from "./state.js";

/**
 * Headers every response carries, errors included. Koa sets
 * `application/json; charset=utf-8` itself for every object body.
 */
export function standardHeaders(): GatewayMiddleware {
  return async (ctx, next) => {
    ctx.set("OData-Version", "4.0");
    ctx.set("X-Content-Type-Options", "nosniff");
    await next();
  };
}
