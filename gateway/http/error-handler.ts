import type { Logger } from "../log.js";
import { toErrorResponse } from "../redfish/errors.js";
import type { GatewayMiddleware } from "./state.js";

/**
 * Catches whatever the rest of the chain throws and answers with the single
 * mapper's status and Redfish body. Only our own bugs reach the log, with
 * their stack; the client gets an InternalError and nothing else.
 */
export function errorHandler(log: Logger): GatewayMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const response = toErrorResponse(error);
      if (response.internal !== undefined) {
        log.error("request failed", { method: ctx.method, path: ctx.path, error: response.internal });
      }
      // Headers a handler set for the success it did not reach must not leak into the error.
      for (const name of ["ETag", "Location"]) ctx.remove(name);
      ctx.status = response.status;
      for (const [name, value] of Object.entries(response.headers)) ctx.set(name, value);
      ctx.body = response.body;
    }
  };
}
