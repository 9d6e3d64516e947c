import type { Middleware, ParameterizedContext } from "koa";
import type { RoleId } from "../redfish-service/roles.js";

/** What the gateway's middleware leaves on `ctx.state` for the handlers after it. */
export interface GatewayState {
  /** The parsed JSON request body: undefined when the request had none. */
  body?: unknown;
  /** Who the request authenticated as: the Basic user name, or "token"; absent when auth is off. */
  principal?: string;
  /** The role the credentials carry (Administrator when auth is off); authorize() checks it. */
  role?: RoleId;
  /** The Redfish session the request came in, when it sent X-Auth-Token. */
  sessionId?: string;
}

export type GatewayContext = ParameterizedContext<GatewayState>;
export type GatewayMiddleware = Middleware<GatewayState>;
