import { RedfishError } from "../redfish/errors.js";
import type { GatewayMiddleware } from "./state.js";

/**
 * What no route answered: a known path with a method it does not take is
 * 405 with `Allow` (the router has set both), anything else is 404.
 */
export function fallback(): GatewayMiddleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body !== undefined && ctx.body !== null) return;
    if (ctx.status === 405 || ctx.status === 501) {
      const allow = ctx.response.get("Allow");
      throw RedfishError.methodNotAllowed(allow ? allow.split(/\s*,\s*/) : []);
    }
    if (ctx.status === 404) throw RedfishError.resourceNotFound("URI", ctx.path);
  };
}
