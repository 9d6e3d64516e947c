import Router from "@koa/router";
import { isShoalError } from "../../src/errors.js";
import { fromShoalError, type DetailOptions } from "../redfish/shoal-to-redfish.js";
import type { GatewayState } from "../http/state.js";

/** The router every resource module mounts its routes on. */
export type GatewayRouter = Router<GatewayState>;

/** Paths match case-sensitively, as Redfish URIs (and MultiFish's router) do: `Actions/trigger` is not `Actions/Trigger`. */
export function createRouter(): GatewayRouter {
  return new Router<GatewayState>({ sensitive: true });
}

/**
 * Re-throws a core error as the Redfish error it stands for, with the
 * route's own knowledge of how core paths map to body pointers. Anything
 * else goes on unchanged to the error handler.
 */
export function rethrow(error: unknown, options: DetailOptions = {}): never {
  if (isShoalError(error)) throw fromShoalError(error, options) ?? error;
  throw error;
}
